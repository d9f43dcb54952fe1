//! Template texts: literal runs and placeholders, parsed once when the bank loads.

use crate::diagnostic::DiagnosticCode;

/// Why a text does not parse: a code and a message.
pub(crate) type TextError = (DiagnosticCode, String);

/// A placeholder of the text language (see `docs/question-bank.md`). Names are written in
/// snake case between braces (`{identity_provider}`); list placeholders take `|or` to join
/// their last two names with `or` instead of `and` (`{callers|or}`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::EnumIter,
)]
#[strum(serialize_all = "snake_case")]
pub enum Placeholder {
    /// `{element}`: the subject's name.
    Element,
    /// `{elements}`: the names of a grouped question's subjects (group texts only).
    Elements,
    /// `{kind}`: the subject's kind, in words.
    Kind,
    /// `{source}`: a flow's source element's name.
    Source,
    /// `{target}`: a flow's target element's name.
    Target,
    /// `{initiator}`: the name of the element that opens a flow's connection.
    Initiator,
    /// `{responder}`: the name of the element that answers a flow's connection.
    Responder,
    /// `{protocol}`: a flow's protocol.
    Protocol,
    /// `{boundary}`: the innermost boundary around an element, the first one a flow crosses.
    Boundary,
    /// `{boundaries}`: every boundary around an element, or crossed by a flow.
    Boundaries,
    /// `{data}`: the data a flow carries, or an element sends and receives.
    Data,
    /// `{restricted}`: the restricted data a flow carries, or an element sends and receives.
    Restricted,
    /// `{data_in}`: the data an element receives: on the flows whose target it is, and on its
    /// bidirectional ones.
    DataIn,
    /// `{records}`: the data an element sends and receives, as `{data}`, less what signing in
    /// and connecting exchange (keys, passwords, codes, tokens, sessions), unless that is all
    /// there is.
    Records,
    /// `{writers}`: the elements that send data to an element: the sources of the flows it
    /// receives, and the other ends of its bidirectional flows (not a reader that opens the
    /// connection to pull from it).
    Writers,
    /// `{callers}`: the elements that open connections to an element.
    Callers,
    /// `{targets}`: the elements an element opens connections to.
    Targets,
    /// `{zone}`: the protected zone of an oddity (a bypassed gateway's zone, the zone of a
    /// store reached from outside).
    Zone,
    /// `{gateway}`: the element other flows into the zone go through.
    Gateway,
    /// `{identity_provider}`: the identity provider other people reach.
    IdentityProvider,
    /// `{audit_log}`: the model's audit log store.
    AuditLog,
    /// `{auth_methods}`: the ways an element's `auth_methods` property says it authenticates,
    /// in words (`a password or a link sent to them`).
    AuthMethods,
    /// `{statement}`: the sentence of the subject's description that the template's `says`
    /// condition found.
    Statement,
    /// `{matching}`: at engagement level, the in-scope elements and flows that satisfy the
    /// template's `when`, the model's evidence for asking.
    Matching,
    /// `{system}`: the system under review, or `the system`.
    System,
    /// `{engagement}`: the engagement's name.
    Engagement,
}

/// Where a placeholder may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// On any subject and at engagement level.
    Anywhere,
    /// On elements and flows, not at engagement level.
    Subjects,
    /// On flows only.
    Flows,
    /// On elements only.
    Elements,
    /// In group texts only.
    Groups,
    /// At engagement level only.
    Engagement,
}

impl Placeholder {
    /// Every placeholder.
    pub fn all() -> impl Iterator<Item = Placeholder> {
        <Placeholder as strum::IntoEnumIterator>::iter()
    }

    /// The placeholder's name, without braces.
    pub fn name(self) -> &'static str {
        self.into()
    }

    pub(crate) fn scope(self) -> Scope {
        match self {
            Placeholder::Engagement | Placeholder::System => Scope::Anywhere,
            Placeholder::Source
            | Placeholder::Target
            | Placeholder::Protocol
            | Placeholder::Initiator
            | Placeholder::Responder
            | Placeholder::Gateway => Scope::Flows,
            Placeholder::Callers
            | Placeholder::Targets
            | Placeholder::DataIn
            | Placeholder::Records
            | Placeholder::Writers
            | Placeholder::IdentityProvider
            | Placeholder::AuditLog
            | Placeholder::AuthMethods => Scope::Elements,
            Placeholder::Elements => Scope::Groups,
            Placeholder::Matching => Scope::Engagement,
            _ => Scope::Subjects,
        }
    }

    /// Whether the placeholder names things a verb can agree with (`{element} {is|are}`).
    pub fn is_name(self) -> bool {
        matches!(
            self,
            Placeholder::Element
                | Placeholder::Elements
                | Placeholder::Source
                | Placeholder::Target
                | Placeholder::Initiator
                | Placeholder::Responder
                | Placeholder::IdentityProvider
                | Placeholder::AuditLog
                | Placeholder::Gateway
        )
    }

    /// Whether the placeholder is a list of names, which `|or` may join.
    pub fn is_list(self) -> bool {
        matches!(
            self,
            Placeholder::Elements
                | Placeholder::Matching
                | Placeholder::Boundaries
                | Placeholder::Data
                | Placeholder::DataIn
                | Placeholder::Records
                | Placeholder::Writers
                | Placeholder::Restricted
                | Placeholder::Callers
                | Placeholder::Targets
                | Placeholder::AuthMethods
        )
    }
}

/// How a list placeholder joins its last two names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Joiner {
    /// `A, B and C`.
    #[default]
    And,
    /// `A, B or C`.
    Or,
}

/// A piece of a template's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Text copied as is.
    Literal(String),
    /// A placeholder, filled per subject.
    Placeholder(Placeholder, Joiner),
    /// `{is|are}`: the singular form or the plural one, whichever agrees with the name that
    /// the placeholder at `anchor` (an index into the same segments) fills in: the nearest
    /// name placeholder before it, else the first one after it.
    Agree {
        /// The form written when the name is singular (`is`).
        singular: String,
        /// The form written when the name reads as plural (`are`).
        plural: String,
        /// The index of the name placeholder it agrees with.
        anchor: usize,
    },
}

/// Whether `{singular|plural}` is an agreement rather than a placeholder with a modifier:
/// both sides are words (letters, apostrophes, spaces, hyphens).
fn is_agreement(left: &str, right: &str) -> bool {
    let word = |s: &str| {
        !s.trim().is_empty()
            && s.chars()
                .all(|c| c.is_alphabetic() || matches!(c, '\'' | '’' | ' ' | '-'))
    };
    word(left) && word(right) && left.parse::<Placeholder>().is_err()
}

/// Splits a text into segments. `{{` and `}}` stand for literal braces.
pub(crate) fn parse(text: &str) -> Result<Vec<Segment>, TextError> {
    let mut segments = Vec::new();
    let mut literal = String::new();
    let mut rest = text;
    let mut offset = 0;
    while let Some(i) = rest.find(['{', '}']) {
        literal.push_str(&rest[..i]);
        let brace = rest.as_bytes()[i];
        let after = &rest[i + 1..];
        if after.as_bytes().first() == Some(&brace) {
            literal.push(char::from(brace));
            offset += i + 2;
            rest = &after[1..];
            continue;
        }
        if brace == b'}' {
            return Err((
                DiagnosticCode::UnmatchedBrace,
                format!(
                    "a lone `}}` at byte {}; write `}}}}` for a literal brace",
                    offset + i
                ),
            ));
        }
        let Some(end) = after
            .find(['}', '{'])
            .filter(|&e| after.as_bytes()[e] == b'}')
        else {
            return Err((
                DiagnosticCode::UnclosedPlaceholder,
                format!(
                    "a `{{` at byte {} has no `}}`; write `{{{{` for a literal brace",
                    offset + i
                ),
            ));
        };
        let written = &after[..end];
        if let Some((singular, plural)) = written.split_once('|')
            && is_agreement(singular, plural)
        {
            if !literal.is_empty() {
                segments.push(Segment::Literal(std::mem::take(&mut literal)));
            }
            segments.push(Segment::Agree {
                singular: singular.to_owned(),
                plural: plural.to_owned(),
                anchor: usize::MAX,
            });
            offset += i + 1 + end + 1;
            rest = &after[end + 1..];
            continue;
        }
        let (name, joiner) = match written.split_once('|') {
            Some((name, "or")) => (name, Joiner::Or),
            Some((_, modifier)) => {
                return Err((
                    DiagnosticCode::UnknownPlaceholder,
                    format!(
                        "unknown modifier `|{modifier}` in `{{{written}}}`; the one modifier is `|or`"
                    ),
                ));
            }
            None => (written, Joiner::And),
        };
        let placeholder = name.parse::<Placeholder>().map_err(|_| {
            let known: Vec<&str> = Placeholder::all().map(Placeholder::name).collect();
            let suggestion = crate::diagnostic::suggest(name, known.iter().copied())
                .map(|s| format!("; did you mean `{{{s}}}`?"))
                .unwrap_or_default();
            (
                DiagnosticCode::UnknownPlaceholder,
                format!("unknown placeholder `{{{name}}}`{suggestion}"),
            )
        })?;
        if joiner == Joiner::Or && !placeholder.is_list() {
            return Err((
                DiagnosticCode::UnknownPlaceholder,
                format!("`{{{name}}}` is not a list: `|or` joins the names of a list"),
            ));
        }
        if !literal.is_empty() {
            segments.push(Segment::Literal(std::mem::take(&mut literal)));
        }
        segments.push(Segment::Placeholder(placeholder, joiner));
        offset += i + 1 + end + 1;
        rest = &after[end + 1..];
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        segments.push(Segment::Literal(literal));
    }
    anchor_agreements(&mut segments)?;
    Ok(segments)
}

/// Points every agreement at the name it agrees with: the nearest name placeholder before
/// it, else the first one after it.
fn anchor_agreements(segments: &mut [Segment]) -> Result<(), TextError> {
    let names: Vec<usize> = segments
        .iter()
        .enumerate()
        .filter(|(_, s)| matches!(s, Segment::Placeholder(p, _) if p.is_name()))
        .map(|(i, _)| i)
        .collect();
    let blank: Vec<bool> = segments
        .iter()
        .map(|s| matches!(s, Segment::Literal(text) if text.trim().is_empty()))
        .collect();
    let segments_text = |j: usize| blank.get(j).map(|&b| if b { "" } else { "x" });
    for (i, segment) in segments.iter_mut().enumerate() {
        let Segment::Agree {
            singular,
            plural,
            anchor,
        } = segment
        else {
            continue;
        };
        // `{element} {is|are}`: the name right before it (a space between) is its subject;
        // else `{does|do} {element}`: the name right after it; else the nearest before, else
        // the first after.
        let name_at = |j: usize| names.contains(&j).then_some(j);
        let blank_at = |j: usize| segments_text(j) == Some("");
        let right_before = i.checked_sub(1).and_then(name_at).or_else(|| {
            (i >= 2 && blank_at(i - 1))
                .then(|| name_at(i - 2))
                .flatten()
        });
        let right_after =
            name_at(i + 1).or_else(|| blank_at(i + 1).then(|| name_at(i + 2)).flatten());
        let before = names.iter().rev().find(|&&n| n < i).copied();
        let after = names.iter().find(|&&n| n > i).copied();
        match right_before.or(right_after).or(before).or(after) {
            Some(n) => *anchor = n,
            None => {
                return Err((
                    DiagnosticCode::UnknownPlaceholder,
                    format!(
                        "`{{{singular}|{plural}}}` agrees with a name (`{{element}}`, `{{source}}`, `{{initiator}}`...), and the text has none"
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Whether a name reads as plural, for a verb that agrees with it: its last word is a plural
/// noun (`Drivers`, `Insurer APIs`, `Keyhaven staff`), not a singular one ending in s
/// (`Analytics`, `Redis`, `Address service`) or an acronym (`SMS`).
pub(crate) fn reads_plural(name: &str) -> bool {
    let Some(last) = name
        .split(|c: char| c.is_whitespace() || c == '-' || c == '/')
        .rfind(|w| w.chars().any(char::is_alphanumeric))
    else {
        return false;
    };
    let word: String = last.chars().filter(|c| c.is_alphanumeric()).collect();
    let lower = word.to_lowercase();
    if matches!(
        lower.as_str(),
        "staff" | "people" | "personnel" | "police" | "children" | "men" | "women"
    ) {
        return true;
    }
    let Some(stem) = word.strip_suffix('s') else {
        return false;
    };
    // An acronym's plural (`APIs`, `IdPs`) before the endings of singular words.
    if stem.chars().count() >= 2
        && stem.chars().next().is_some_and(char::is_uppercase)
        && stem.chars().last().is_some_and(char::is_uppercase)
    {
        return true;
    }
    if word.chars().count() < 3 || !word.chars().any(char::is_lowercase) {
        return false;
    }
    !(lower.ends_with("ss")
        || lower.ends_with("us")
        || lower.ends_with("is")
        || lower.ends_with("ics")
        || matches!(
            lower.as_str(),
            "postgres" | "kubernetes" | "news" | "series" | "species" | "gas" | "canvas" | "atlas"
        ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_literals_and_placeholders() {
        let segments = parse("How does {element} talk to {target}? {{x}}").unwrap();
        assert_eq!(
            segments,
            [
                Segment::Literal("How does ".into()),
                Segment::Placeholder(Placeholder::Element, Joiner::And),
                Segment::Literal(" talk to ".into()),
                Segment::Placeholder(Placeholder::Target, Joiner::And),
                Segment::Literal("? {x}".into()),
            ]
        );
    }

    #[test]
    fn rejects_unknown_and_unclosed_placeholders_and_lone_braces() {
        let code = |text: &str| parse(text).unwrap_err().0;
        assert_eq!(code("a {nope} b"), DiagnosticCode::UnknownPlaceholder);
        assert_eq!(
            parse("a {elemnt}").unwrap_err().1,
            "unknown placeholder `{elemnt}`; did you mean `{element}`?"
        );
        assert_eq!(code("a {element"), DiagnosticCode::UnclosedPlaceholder);
        assert_eq!(code("a {x {element}"), DiagnosticCode::UnclosedPlaceholder);
        assert_eq!(code("a } b"), DiagnosticCode::UnmatchedBrace);
        assert!(parse("a }} b {{ c").is_ok());
        assert_eq!(
            parse("from {callers|or}").unwrap()[1],
            Segment::Placeholder(Placeholder::Callers, Joiner::Or)
        );
        assert_eq!(code("{element|or}"), DiagnosticCode::UnknownPlaceholder);
        assert_eq!(code("{callers|and}"), DiagnosticCode::UnknownPlaceholder);
        assert!(parse("{identity_provider} {audit_log} {system}").is_ok());
    }

    #[test]
    fn agreements_anchor_on_the_name_next_to_them_else_the_nearest_one_before() {
        let segments = parse(
            "{does|do} {element} sign in, and {initiator} {is|are} slow, {does|do} {responder}",
        )
        .unwrap();
        let anchors: Vec<usize> = segments
            .iter()
            .filter_map(|s| match s {
                Segment::Agree { anchor, .. } => Some(*anchor),
                _ => None,
            })
            .collect();
        assert_eq!(anchors, [2, 4, 10]);
        assert_eq!(
            segments[2],
            Segment::Placeholder(Placeholder::Element, Joiner::And)
        );
        // Subject, verb, object: the name right before the verb is its subject, not the one
        // right after it.
        let svo = parse("Over {element}, {initiator} {reaches|reach} {responder}").unwrap();
        assert_eq!(
            svo[5],
            Segment::Agree {
                singular: "reaches".into(),
                plural: "reach".into(),
                anchor: 3
            }
        );
        // A list of data is no name a verb agrees with; a text with no name is refused.
        assert_eq!(
            parse("{data} {is|are} kept").unwrap_err().1,
            "`{is|are}` agrees with a name (`{element}`, `{source}`, `{initiator}`...), and the text has none"
        );
        // A placeholder with an unknown modifier is still refused as such.
        assert_eq!(
            parse("{element|gets}").unwrap_err().0,
            DiagnosticCode::UnknownPlaceholder
        );
    }

    #[test]
    fn plural_names_are_told_from_singular_ones_ending_in_s() {
        for plural in [
            "Drivers",
            "Buyers and approvers",
            "Insurer APIs",
            "Partner IdPs",
            "Keyhaven staff",
            "Pension providers",
            "Supplybridge engineers",
        ] {
            assert!(reads_plural(plural), "{plural}");
        }
        for singular in [
            "Customer",
            "Finance team",
            "Payment and payout provider",
            "Analytics",
            "Session cache (Redis)",
            "Address service",
            "SMS",
            "Postgres",
            "Status",
            "Customer's bank",
            "",
        ] {
            assert!(!reads_plural(singular), "{singular}");
        }
    }
}
