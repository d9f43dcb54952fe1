//! Calibration and time boxes on the bundled example.

use std::collections::HashSet;

use threat_interview::engine::Engine;
use threat_interview::plan::{agenda_order, plan_all, plan_interview, score};
use threat_interview::{Engagement, Role};

fn planned_shop() -> Engagement {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/engagements/online-shop.json"
    );
    let loaded = threat_interview::io::load(path).unwrap();
    let questions = Engine::builtin().generate(loaded.checked());
    let mut engagement = loaded.engagement;
    questions.merge_into(&mut engagement);
    engagement
}

#[test]
fn the_agenda_is_ordered_by_priority_times_calibrated_weight() {
    let engagement = planned_shop();
    let weights = engagement.calibration.as_ref().unwrap().weights;
    let order = agenda_order(&engagement);
    let scores: Vec<u32> = order
        .iter()
        .map(|q| score(q.priority, q.category, &weights))
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]));
}

#[test]
fn an_interview_is_filled_within_its_time_box_and_the_rest_is_reported() {
    let mut engagement = planned_shop();
    let plan = plan_interview(&mut engagement, "iv-architecture-1").unwrap();
    assert!(plan.minutes_used <= plan.minutes_available);
    assert!(!plan.agenda.is_empty());
    assert!(
        !plan.deferred.is_empty(),
        "the example has more than 180 minutes of questions"
    );
    let interview = engagement
        .interviews
        .iter()
        .find(|i| i.id == "iv-architecture-1")
        .unwrap();
    assert_eq!(interview.agenda, plan.agenda);
    for item in &plan.agenda {
        let q = engagement.question(&item.question).unwrap();
        assert!(interview.roles.contains(&q.role));
    }
    // Every open question for the interview's roles is on the agenda or deferred.
    let listed: HashSet<&str> = plan
        .agenda
        .iter()
        .map(|a| a.question.as_str())
        .chain(plan.deferred.iter().map(|d| d.question.as_str()))
        .collect();
    for q in &engagement.questions {
        if interview.roles.contains(&q.role) {
            assert!(listed.contains(q.id.as_str()), "{} vanished", q.id);
        }
    }
    assert!(
        plan_interview(&mut engagement, "nope")
            .unwrap_err()
            .to_string()
            .contains("`nope`")
    );
}

#[test]
fn planning_every_interview_lists_what_did_not_fit() {
    let mut engagement = planned_shop();
    let plan = plan_all(&mut engagement);
    let on_agendas: usize = plan.interviews.iter().map(|p| p.agenda.len()).sum();
    let open = engagement.questions.iter().filter(|q| !q.obsolete).count();
    assert_eq!(
        on_agendas + plan.did_not_fit.len(),
        open,
        "nothing dropped silently"
    );
    // The first architecture interview carries what did not fit over to the second one.
    let first = &plan.interviews[1];
    assert_eq!(first.interview, "iv-architecture-1");
    assert!(!first.deferred.is_empty());
    assert!(
        first
            .deferred
            .iter()
            .all(|d| d.next_interview.as_deref() == Some("iv-architecture-2"))
    );
    // The bank asks the architects more than two mornings hold: the rest is listed.
    assert!(
        plan.did_not_fit
            .iter()
            .any(|d| engagement.question(&d.question).unwrap().role == Role::Architect)
    );
    // Deployment and production owners have an interview of their own now.
    for role in [Role::DeploymentOwner, Role::ProductionOwner] {
        assert!(plan.interviews.iter().any(|p| {
            p.agenda
                .iter()
                .any(|a| engagement.question(&a.question).unwrap().role == role)
        }));
    }
}

#[test]
fn two_interviews_with_one_id_and_enormous_minutes_are_planned_without_a_panic() {
    let mut engagement = planned_shop();
    let copy = engagement.interviews[1].clone();
    engagement.interviews.push(copy);
    engagement.questions[0].minutes = u32::MAX;
    engagement.interviews[0].minutes = 5;
    let plan = plan_all(&mut engagement);
    for p in &plan.interviews {
        let sum: u64 = p.agenda.iter().map(|a| u64::from(a.minutes)).sum();
        assert_eq!(sum, u64::from(p.minutes_used));
        assert!(p.minutes_used <= p.minutes_available, "{p:?}");
    }
}
