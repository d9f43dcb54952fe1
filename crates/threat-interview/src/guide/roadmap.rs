//! The findings and roadmap report, in Markdown: what the closing meeting presents. Quick wins
//! first, then the other findings by severity (critical first, unrated last), each with its
//! attack path; dismissed findings with their rationale; the hints not yet analysed and the
//! coverage gaps, so that what was never asked is not mistaken for what is safe.

use std::fmt::Write as _;

use super::markdown::{code_span, escape};
use super::subject_heading;
use crate::coverage::Coverage;
use crate::model::{Engagement, Finding, FindingStatus, HintStatus, Severity};

/// The findings and roadmap report of an engagement, in Markdown; the same bytes for the same
/// engagement.
pub fn roadmap(engagement: &Engagement) -> String {
    let mut out = String::from("# Findings and roadmap: ");
    escape(&engagement.name, &mut out);
    out.push_str("\n\n");
    let live: Vec<&Finding> = engagement
        .findings
        .iter()
        .filter(|f| f.status != FindingStatus::Dismissed)
        .collect();
    let count = |status| {
        engagement
            .findings
            .iter()
            .filter(|f| f.status == status)
            .count()
    };
    let quick: Vec<&Finding> = sorted(live.iter().copied().filter(|f| f.quick_win));
    let _ = writeln!(
        out,
        "{}: {} confirmed, {} plausible (an attack path sketched, not yet confirmed), {} dismissed; {}.\n",
        plural(engagement.findings.len(), "finding"),
        count(FindingStatus::Confirmed),
        count(FindingStatus::Plausible),
        count(FindingStatus::Dismissed),
        plural(quick.len(), "quick win")
    );
    out.push_str("## Quick wins\n\n");
    if quick.is_empty() {
        out.push_str("None marked yet (`finding quick-win FILE FINDING`).\n\n");
    }
    for finding in &quick {
        finding_block(engagement, finding, &mut out);
    }
    out.push_str("## Findings by severity\n\n");
    let rest = sorted(live.iter().copied().filter(|f| !f.quick_win));
    if rest.is_empty() {
        out.push_str("No other finding.\n\n");
    }
    let mut heading = None;
    for finding in rest {
        if heading != Some(finding.severity) {
            heading = Some(finding.severity);
            let _ = writeln!(out, "### {}\n", severity_words(finding.severity));
        }
        finding_block(engagement, finding, &mut out);
    }
    let dismissed: Vec<&Finding> = engagement
        .findings
        .iter()
        .filter(|f| f.status == FindingStatus::Dismissed)
        .collect();
    if !dismissed.is_empty() {
        out.push_str("## Dismissed\n\n");
        for finding in dismissed {
            out.push_str("- ");
            escape(&finding.title, &mut out);
            out.push_str(" (");
            code_span(&finding.id, &mut out);
            out.push_str("): ");
            escape(
                finding.rationale.as_deref().unwrap_or("no rationale"),
                &mut out,
            );
            out.push('\n');
        }
        out.push('\n');
    }
    let open: Vec<_> = engagement
        .hints
        .iter()
        .filter(|h| h.status == HintStatus::Open)
        .collect();
    out.push_str("## Hints not yet analysed\n\n");
    if open.is_empty() {
        out.push_str("None.\n\n");
    } else {
        for hint in open {
            out.push_str("- ");
            code_span(&hint.id, &mut out);
            out.push_str(": ");
            escape(&hint.text, &mut out);
            out.push('\n');
        }
        out.push('\n');
    }
    let coverage = Coverage::of(engagement);
    out.push_str("## Coverage gaps\n\n");
    if coverage.gaps.is_empty() {
        out.push_str(
            "None: every applicable STRIDE category of every in-scope element and flow has a live question.\n",
        );
    } else {
        let _ = writeln!(
            out,
            "{} (subject, STRIDE category) pairs were never asked about: no finding there means nothing yet.\n",
            coverage.gaps.len()
        );
        for gap in &coverage.gaps {
            out.push_str("- ");
            escape(&gap.name, &mut out);
            out.push_str(" (");
            code_span(&gap.subject, &mut out);
            let _ = writeln!(
                out,
                "): {}, {}",
                gap.category.title(),
                gap.status.as_str().replace('_', " ")
            );
        }
    }
    out
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Most severe first, unrated last; the file's order among equals.
fn sorted<'f>(findings: impl Iterator<Item = &'f Finding>) -> Vec<&'f Finding> {
    let mut findings: Vec<&Finding> = findings.collect();
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity.map(|s| s as u8 + 1)));
    findings
}

fn severity_words(severity: Option<Severity>) -> &'static str {
    match severity {
        Some(Severity::Critical) => "Critical",
        Some(Severity::High) => "High",
        Some(Severity::Medium) => "Medium",
        Some(Severity::Low) => "Low",
        None => "Severity not rated yet",
    }
}

fn finding_block(engagement: &Engagement, finding: &Finding, out: &mut String) {
    out.push_str("#### ");
    escape(&finding.title, out);
    out.push_str(" (");
    code_span(&finding.id, out);
    out.push_str(")\n\n");
    let _ = write!(
        out,
        "*{}*, {}",
        severity_words(finding.severity),
        finding.status.as_str()
    );
    if finding.quick_win {
        out.push_str(", quick win");
    }
    if let Some(category) = finding.category {
        let _ = write!(out, "; {}", category.title());
    }
    if !finding.subjects.is_empty() {
        out.push_str("; about ");
        let names: Vec<String> = finding
            .subjects
            .iter()
            .map(|s| subject_heading(engagement, s).0)
            .collect();
        escape(&names.join(", "), out);
    }
    out.push_str(".\n\n");
    if let Some(description) = &finding.description {
        escape(description, out);
        out.push_str("\n\n");
    }
    if let Some(rationale) = &finding.rationale {
        out.push_str("*Rationale:* ");
        escape(rationale, out);
        out.push_str("\n\n");
    }
    out.push_str("*Attack path:*\n\n");
    if finding.attack_path.is_empty() {
        out.push_str("- none sketched yet\n");
    }
    for (i, step) in finding.attack_path.iter().enumerate() {
        let _ = write!(out, "{}. ", i + 1);
        if let Some(subject) = &step.subject {
            out.push_str("**");
            escape(&subject_heading(engagement, subject).0, out);
            out.push_str(":** ");
        }
        escape(&step.description, out);
        out.push('\n');
    }
    out.push('\n');
}
