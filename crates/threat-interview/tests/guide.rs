//! The interview guide: escaped whatever the engagement holds, deterministic, grouped in walk
//! order.

use threat_interview::engine::Engine;
use threat_interview::guide::{GuideError, to_html, to_markdown};
use threat_interview::{Engagement, io, plan};

fn planned_example() -> Engagement {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/engagements/online-shop.json"
    );
    let mut engagement = io::load(path).unwrap().engagement;
    let questions = Engine::builtin().generate(engagement.check().unwrap());
    questions.merge_into(&mut engagement);
    plan::plan_all(&mut engagement);
    engagement
}

const HOSTILE: &str = "<script>alert('x')</script> & \"quotes\" *stars* `ticks` [link](http://e)";

#[test]
fn every_text_is_escaped_in_html() {
    let mut engagement = planned_example();
    engagement.name = HOSTILE.to_owned();
    engagement.interviews[1].title = HOSTILE.to_owned();
    engagement.interviews[1].goals = vec![HOSTILE.to_owned()];
    engagement.participants[0].name = HOSTILE.to_owned();
    let first = engagement.interviews[1].agenda[0].question.clone();
    let question = engagement
        .questions
        .iter_mut()
        .find(|q| q.id == first)
        .unwrap();
    question.text = HOSTILE.to_owned();
    question.follow_up_prompts = vec![HOSTILE.to_owned()];
    engagement.model.elements[0].name = HOSTILE.to_owned();
    for interview in [None, Some(engagement.interviews[1].id.clone())] {
        let html = to_html(&engagement, interview.as_deref()).unwrap();
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<a "), "a link stays text: {html}");
        assert!(
            html.contains(
                "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;"
            )
        );
        // Self-contained: nothing to fetch.
        for external in ["src=", "href=", "@import", "url("] {
            assert!(!html.contains(external), "{external} in the guide");
        }
        let md = to_markdown(&engagement, interview.as_deref()).unwrap();
        assert!(md.contains(r#"\<script\>alert('x')\</script\> \& "quotes" \*stars\* \`ticks\` \[link\](http://e)"#), "{md}");
    }
}

#[test]
fn the_same_engagement_gives_the_same_bytes() {
    let engagement = planned_example();
    assert_eq!(
        to_markdown(&engagement, None).unwrap(),
        to_markdown(&engagement.clone(), None).unwrap()
    );
    assert_eq!(
        to_html(&engagement, None).unwrap(),
        to_html(&engagement.clone(), None).unwrap()
    );
}

#[test]
fn questions_are_grouped_by_subject_in_agenda_order() {
    let engagement = planned_example();
    let interview = &engagement.interviews[1];
    let md = to_markdown(&engagement, Some(&interview.id)).unwrap();
    // Every agenda question is in the guide once, and subjects come in order of first mention.
    let mut last_subject_at = 0;
    let mut seen = Vec::new();
    for item in &interview.agenda {
        let needle = format!("`{}`,", item.question);
        assert_eq!(md.matches(&needle).count(), 1, "{}", item.question);
        let question = engagement.question(&item.question).unwrap();
        if let Some(subject) = question.subjects.first()
            && !seen.contains(subject)
        {
            let heading = md.find(&format!(", `{subject}`)\n")).unwrap();
            assert!(heading > last_subject_at, "{subject} out of order");
            last_subject_at = heading;
            seen.push(subject.clone());
        }
    }
    assert!(!seen.is_empty());
}

#[test]
fn an_unknown_interview_is_an_error_naming_the_closest() {
    let engagement = planned_example();
    let error = to_markdown(&engagement, Some("iv-bussiness")).unwrap_err();
    assert!(matches!(error, GuideError::UnknownInterview { .. }));
    assert_eq!(
        error.to_string(),
        "interview `iv-bussiness` does not exist; did you mean `iv-business`?"
    );
}
