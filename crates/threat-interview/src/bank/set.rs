//! Layering banks: the built-in one first, then user banks that add, override or disable
//! templates.

use std::collections::HashMap;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, DiagnosticCode, Report};
use crate::model::{Stride, SubjectKind};

use super::error::LayerError;
use super::{BUILTIN_BANK_ID, QuestionBank, Segment, Template};

/// A template in a [`BankSet`], with the bank it comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct BankTemplate {
    /// The template.
    pub template: Template,
    /// The id of the bank that defined it (the last one that overrode it).
    pub bank: String,
    /// Whether a later bank disabled it.
    pub disabled: bool,
    pub(crate) segments: Vec<Segment>,
    pub(crate) rationale: Vec<Segment>,
    pub(crate) follow_ups: Vec<Vec<Segment>>,
    pub(crate) group: Option<Vec<Segment>>,
    /// The template id as the first part of a question id (escaped once, not per question).
    pub(crate) id_part: String,
    /// The phrases `{statement}` quotes a sentence for (the first `says` test of `when`),
    /// lower-cased.
    pub(crate) says: Vec<String>,
    /// Whether its text lists the subjects that satisfy its `when` (`{matching}`).
    pub(crate) lists_matching: bool,
    /// The pack it belongs to, by position in [`BankSet::packs`]; asked only where the pack
    /// applies.
    pub pack: Option<usize>,
}

impl BankTemplate {
    /// Whether its text quotes what the subject's description says (`{statement}`).
    pub fn quotes_the_model(&self) -> bool {
        self.segments
            .iter()
            .any(|s| matches!(s, Segment::Placeholder(super::Placeholder::Statement, _)))
    }
}

/// A pack in a [`BankSet`]: a bank of questions for one technology or regulation.
#[derive(Debug, Clone, PartialEq)]
pub struct PackEntry {
    /// The pack's id (its bank's id), which engagements name to enable or disable it.
    pub id: String,
    /// Its name.
    pub name: String,
    /// What it is for.
    pub description: Option<String>,
    /// When it applies.
    pub enabled_by: super::Condition,
    /// The public references it is written from.
    pub sources: Vec<String>,
    /// How many templates it has.
    pub templates: usize,
}

/// Banks layered in load order: the templates in the order they are considered, each from the
/// last bank that defined or overrode it.
///
/// An overriding template keeps the place of the one it replaces; new templates come after
/// those of earlier banks. Disabled templates are kept (so a later bank may still override
/// them) but never used.
///
/// A set is cheap to clone: the templates and their index are shared until a bank is layered
/// on one of the copies.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BankSet {
    banks: Vec<(String, String)>,
    templates: Arc<Vec<BankTemplate>>,
    index: Arc<HashMap<String, usize>>,
    packs: Vec<PackEntry>,
}

impl BankSet {
    /// An empty set, with no bank at all.
    pub fn new() -> BankSet {
        BankSet::default()
    }

    /// The set holding the built-in bank and the built-in packs
    /// ([`QuestionBank::builtin_packs`]), each pack applying where the model calls for it.
    pub fn builtin() -> BankSet {
        static BUILTIN: std::sync::OnceLock<BankSet> = std::sync::OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                // Read anew rather than cloned from `QuestionBank::builtin()`, and layered
                // without `problems()`: the crate's tests check the built-in banks.
                let mut set = BankSet::new();
                if let Err(error) = set.layer(QuestionBank::read_builtin(), Vec::new()) {
                    panic!("the built-in bank does not layer on nothing: {error}");
                }
                for pack in QuestionBank::read_builtin_packs() {
                    if let Err(error) = set.layer(pack, Vec::new()) {
                        panic!("a built-in pack does not layer on the built-in bank: {error}");
                    }
                }
                set
            })
            .clone()
    }

    /// The set holding the built-in bank alone, no pack.
    pub fn builtin_bank_only() -> BankSet {
        let mut set = BankSet::new();
        if let Err(error) = set.layer(QuestionBank::builtin().clone(), Vec::new()) {
            panic!("the built-in bank does not layer on nothing: {error}");
        }
        set
    }

    /// The packs, in load order.
    pub fn packs(&self) -> &[PackEntry] {
        &self.packs
    }

    /// The built-in bank with user banks on top, in order. Every bank is tried, and every
    /// conflict of every bank reported.
    pub fn with_user_banks(
        banks: impl IntoIterator<Item = QuestionBank>,
    ) -> Result<BankSet, Vec<LayerError>> {
        let mut set = BankSet::builtin();
        let mut errors = Vec::new();
        for (index, bank) in banks.into_iter().enumerate() {
            if let Err(mut error) = set.push(bank) {
                error.index = index;
                errors.push(error);
            }
        }
        if errors.is_empty() {
            Ok(set)
        } else {
            Err(errors)
        }
    }

    /// Layers a bank on those already in the set. On a conflict nothing of the bank is
    /// applied, and every conflict is reported, at its line and column when the bank was loaded
    /// from text.
    pub fn push(&mut self, bank: QuestionBank) -> Result<(), LayerError> {
        let problems: Vec<Diagnostic> = bank.problems().into_iter().collect();
        self.layer(bank, problems)
    }

    /// Layers a bank whose own problems are `conflicts` (none for a bank known to be valid).
    fn layer(
        &mut self,
        bank: QuestionBank,
        mut conflicts: Vec<Diagnostic>,
    ) -> Result<(), LayerError> {
        if self.banks.iter().any(|(id, _)| *id == bank.id) {
            conflicts.push(Diagnostic::error(
                DiagnosticCode::BankDuplicate,
                "/id",
                format!("bank id `{}` is already loaded", bank.id),
            ));
        }
        for (i, template) in bank.templates.iter().enumerate() {
            let known = self.index.get(&template.id);
            match (known, template.overrides) {
                (Some(&at), false) => conflicts.push(Diagnostic::error(
                    DiagnosticCode::TemplateRedefined,
                    format!("/templates/{i}/id"),
                    format!(
                        "template `{}` is already defined by bank `{}`; set `override: true` to replace it",
                        template.id, self.templates[at].bank
                    ),
                )),
                (None, true) => conflicts.push(Diagnostic::error(
                    DiagnosticCode::OverrideUnknown,
                    format!("/templates/{i}/override"),
                    format!(
                        "template `{}` overrides nothing: no earlier bank defines it",
                        template.id
                    ),
                )),
                _ => {}
            }
        }
        let own: std::collections::HashSet<&str> =
            bank.templates.iter().map(|t| t.id.as_str()).collect();
        for (i, template) in bank.templates.iter().enumerate() {
            for (j, id) in template.supersedes.iter().enumerate() {
                if id == &template.id {
                    conflicts.push(Diagnostic::error(
                        DiagnosticCode::SupersedesUnknown,
                        format!("/templates/{i}/supersedes/{j}"),
                        format!("template `{id}` cannot supersede itself"),
                    ));
                } else if !own.contains(id.as_str()) && !self.index.contains_key(id) {
                    let known = own
                        .iter()
                        .copied()
                        .chain(self.index.keys().map(String::as_str));
                    let suggestion = crate::diagnostic::suggest(id, known)
                        .map(|s| format!("; did you mean `{s}`?"))
                        .unwrap_or_default();
                    conflicts.push(Diagnostic::error(
                        DiagnosticCode::SupersedesUnknown,
                        format!("/templates/{i}/supersedes/{j}"),
                        format!(
                            "template `{}` supersedes `{id}`, which neither this bank nor an earlier one defines{suggestion}",
                            template.id
                        ),
                    ));
                }
            }
        }
        if bank.pack.is_some() {
            for (i, template) in bank.templates.iter().enumerate() {
                if template.overrides {
                    conflicts.push(Diagnostic::error(
                        DiagnosticCode::PackOverride,
                        format!("/templates/{i}/override"),
                        format!(
                            "template `{}` is in a pack: a pack adds questions (and may supersede others), it does not override",
                            template.id
                        ),
                    ));
                }
            }
            if !bank.disable.is_empty() {
                conflicts.push(Diagnostic::error(
                    DiagnosticCode::PackOverride,
                    "/disable",
                    "a pack cannot disable templates: it applies only where the model calls for it; use `supersedes`".to_owned(),
                ));
            }
        }
        for (i, id) in bank.disable.iter().enumerate() {
            if !self.index.contains_key(id) {
                let suggestion =
                    crate::diagnostic::suggest(id, self.index.keys().map(String::as_str))
                        .map(|s| format!("; did you mean `{s}`?"))
                        .unwrap_or_default();
                conflicts.push(Diagnostic::error(
                    DiagnosticCode::DisableUnknown,
                    format!("/disable/{i}"),
                    format!("cannot disable `{id}`: no earlier bank defines it{suggestion}"),
                ));
            }
        }
        if !conflicts.is_empty() {
            bank.place(&mut conflicts);
            return Err(LayerError {
                bank: bank.id.clone(),
                index: 0,
                report: Report::from_diagnostics(conflicts),
            });
        }
        let templates = Arc::make_mut(&mut self.templates);
        let index = Arc::make_mut(&mut self.index);
        for id in &bank.disable {
            if let Some(&at) = index.get(id) {
                templates[at].disabled = true;
            }
        }
        let pack = bank.pack.as_ref().map(|p| {
            self.packs.push(PackEntry {
                id: bank.id.clone(),
                name: bank.name.clone(),
                description: bank.description.clone(),
                enabled_by: p.enabled_by.clone(),
                sources: p.sources.clone(),
                templates: bank.templates.len(),
            });
            self.packs.len() - 1
        });
        for template in bank.templates {
            // Checked by `problems()` above.
            let parse = |text: &str| super::text::parse(text).unwrap_or_default();
            let segments = parse(&template.text);
            let lists_matching = segments
                .iter()
                .any(|s| matches!(s, Segment::Placeholder(super::Placeholder::Matching, _)));
            let entry = BankTemplate {
                lists_matching,
                segments,
                rationale: parse(&template.rationale),
                follow_ups: template.follow_ups.iter().map(|f| parse(f)).collect(),
                group: template.group.as_ref().map(|g| parse(&g.text)),
                id_part: crate::model::escape_id_part(&template.id).into_owned(),
                says: template
                    .when
                    .as_ref()
                    .and_then(super::Condition::says_phrases)
                    .map(super::says::lowered)
                    .unwrap_or_default(),
                template,
                bank: bank.id.clone(),
                disabled: false,
                pack,
            };
            if let Some(&at) = index.get(&entry.template.id) {
                templates[at] = entry;
            } else {
                index.insert(entry.template.id.clone(), templates.len());
                templates.push(entry);
            }
        }
        self.banks.push((bank.id, bank.name));
        Ok(())
    }

    /// The ids and names of the banks, in load order.
    pub fn banks(&self) -> impl Iterator<Item = (&str, &str)> {
        self.banks
            .iter()
            .map(|(id, name)| (id.as_str(), name.as_str()))
    }

    /// Every template, disabled ones included, in the order they are considered.
    pub fn all_templates(&self) -> &[BankTemplate] {
        &self.templates
    }

    /// The templates in use, in the order they are considered.
    pub fn templates(&self) -> impl Iterator<Item = &BankTemplate> {
        self.templates.iter().filter(|t| !t.disabled)
    }

    /// The number of templates in use.
    pub fn len(&self) -> usize {
        self.templates().count()
    }

    /// Whether no template is in use.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The position in [`BankSet::all_templates`] of the template with this id.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// The template with this id, disabled or not.
    pub fn get(&self, id: &str) -> Option<&BankTemplate> {
        self.index.get(id).map(|&at| &self.templates[at])
    }

    /// The (kind, category) pairs of STRIDE per element that no template in use covers
    /// unconditionally. Generation can leave a coverage gap only on these pairs; the built-in
    /// bank has none, so a gap means a user bank disabled every unconditional template.
    pub fn unconditional_gaps(&self) -> Vec<(SubjectKind, Stride)> {
        let mut gaps = Vec::new();
        for kind in SubjectKind::ALL {
            for &category in Stride::applicable_to(kind) {
                let covered = self.templates().any(|t| {
                    t.pack.is_none()
                        && t.template.category == Some(category)
                        && t.template.applies_to_kind(kind)
                        && t.template.is_unconditional()
                });
                if !covered {
                    gaps.push((kind, category));
                }
            }
        }
        gaps
    }

    /// The id recorded for the built-in bank.
    pub fn builtin_id() -> &'static str {
        BUILTIN_BANK_ID
    }
}
