//! Hints become findings, and findings are confirmed or dismissed: a hint is promoted only
//! with a conceptual attack path, a finding is confirmed only with one, and every verdict
//! carries its rationale.

use super::{RecordError, is_blank, position};
use crate::model::{Engagement, Finding, FindingStatus, HintStatus};

impl Engagement {
    /// Promotes an open hint to a finding: the finding needs at least one attack step (a
    /// conceptual attack path, in order), names the hint among those it grew from, and takes
    /// the hint's subjects and category when it has none of its own. The hint is marked
    /// promoted and points at the finding.
    pub fn promote_hint(&mut self, hint_id: &str, mut finding: Finding) -> Result<(), RecordError> {
        let h = position(&self.hints, hint_id, "hint", |x| &x.id)?;
        let hint = &self.hints[h];
        if hint.status != HintStatus::Open {
            return Err(RecordError::WrongStatus {
                item: format!("hint `{hint_id}`"),
                status: hint.status.as_str(),
                action: "promoted",
                pointer: format!("/hints/{h}/status"),
            });
        }
        let f = self.findings.len();
        if !has_attack_path(&finding) {
            return Err(RecordError::AttackPathMissing {
                action: format!("promoting hint `{hint_id}` to a finding"),
                pointer: format!("/findings/{f}/attack_path"),
            });
        }
        if !finding.hints.iter().any(|id| id == hint_id) {
            finding.hints.push(hint_id.to_owned());
        }
        if finding.subjects.is_empty() {
            finding.subjects.clone_from(&hint.subjects);
        }
        if finding.category.is_none() {
            finding.category = hint.category;
        }
        let finding_id = finding.id.clone();
        let before = hint.clone();
        self.findings.push(finding);
        let hint = &mut self.hints[h];
        hint.status = HintStatus::Promoted;
        hint.finding = Some(finding_id);
        let pointers = [format!("/findings/{f}"), format!("/hints/{h}")];
        self.keep_if_valid_at("finding", &pointers, |e| {
            e.findings.pop();
            e.hints[h] = before;
        })
    }

    /// Dismisses an open hint, with the rationale.
    pub fn dismiss_hint(&mut self, hint_id: &str, rationale: &str) -> Result<(), RecordError> {
        let h = position(&self.hints, hint_id, "hint", |x| &x.id)?;
        let hint = &mut self.hints[h];
        if hint.status == HintStatus::Promoted {
            return Err(RecordError::WrongStatus {
                item: format!("hint `{hint_id}`"),
                status: hint.status.as_str(),
                action: "dismissed (dismiss its finding instead)",
                pointer: format!("/hints/{h}/status"),
            });
        }
        if is_blank(rationale) {
            return Err(RecordError::RationaleMissing {
                action: format!("dismissing hint `{hint_id}`"),
                noun: "rationale",
                pointer: format!("/hints/{h}/rationale"),
            });
        }
        hint.status = HintStatus::Dismissed;
        hint.rationale = Some(rationale.to_owned());
        Ok(())
    }

    /// Confirms a finding, with the rationale. A finding without an attack path is refused:
    /// confirming needs at least a conceptual one.
    pub fn confirm_finding(
        &mut self,
        finding_id: &str,
        rationale: &str,
    ) -> Result<(), RecordError> {
        let f = position(&self.findings, finding_id, "finding", |x| &x.id)?;
        if !has_attack_path(&self.findings[f]) {
            return Err(RecordError::AttackPathMissing {
                action: format!("confirming finding `{finding_id}`"),
                pointer: format!("/findings/{f}/attack_path"),
            });
        }
        self.judge(f, FindingStatus::Confirmed, rationale)
    }

    /// Dismisses a finding, with the rationale (an attack that needs what no attacker has).
    pub fn dismiss_finding(
        &mut self,
        finding_id: &str,
        rationale: &str,
    ) -> Result<(), RecordError> {
        let f = position(&self.findings, finding_id, "finding", |x| &x.id)?;
        self.judge(f, FindingStatus::Dismissed, rationale)
    }

    /// Marks a finding a quick win (something that can be fixed quickly), or not.
    pub fn set_quick_win(&mut self, finding_id: &str, quick_win: bool) -> Result<(), RecordError> {
        let f = position(&self.findings, finding_id, "finding", |x| &x.id)?;
        self.findings[f].quick_win = quick_win;
        Ok(())
    }

    /// Sets a finding's verdict and its rationale, refusing an empty rationale.
    fn judge(
        &mut self,
        f: usize,
        status: FindingStatus,
        rationale: &str,
    ) -> Result<(), RecordError> {
        let finding = &mut self.findings[f];
        if is_blank(rationale) {
            let verb = match status {
                FindingStatus::Dismissed => "dismissing",
                _ => "confirming",
            };
            return Err(RecordError::RationaleMissing {
                action: format!("{verb} finding `{}`", finding.id),
                noun: "rationale",
                pointer: format!("/findings/{f}/rationale"),
            });
        }
        finding.status = status;
        finding.rationale = Some(rationale.to_owned());
        Ok(())
    }
}

/// Whether a finding has at least one attack step that says something.
fn has_attack_path(finding: &Finding) -> bool {
    finding
        .attack_path
        .iter()
        .any(|step| !is_blank(&step.description))
}
