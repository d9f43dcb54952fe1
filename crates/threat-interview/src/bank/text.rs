//! Template texts: literal runs and placeholders, parsed once when the bank loads.

use crate::diagnostic::DiagnosticCode;

/// Why a text does not parse: a code and a message.
pub(crate) type TextError = (DiagnosticCode, String);

/// A placeholder of the text language (see `docs/question-bank.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Placeholder {
    /// `{element}`: the subject's name.
    Element,
    /// `{kind}`: the subject's kind, in words.
    Kind,
    /// `{source}`: a flow's source element's name.
    Source,
    /// `{target}`: a flow's target element's name.
    Target,
    /// `{protocol}`: a flow's protocol.
    Protocol,
    /// `{boundary}`: the innermost boundary around an element, the first one a flow crosses.
    Boundary,
    /// `{boundaries}`: every boundary around an element, or crossed by a flow.
    Boundaries,
    /// `{data}`: the data a flow carries, or an element sends and receives.
    Data,
    /// `{callers}`: the sources of an element's incoming flows.
    Callers,
    /// `{targets}`: the targets of an element's outgoing flows.
    Targets,
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
}

impl Placeholder {
    /// Every placeholder.
    pub const ALL: [Placeholder; 11] = [
        Placeholder::Element,
        Placeholder::Kind,
        Placeholder::Source,
        Placeholder::Target,
        Placeholder::Protocol,
        Placeholder::Boundary,
        Placeholder::Boundaries,
        Placeholder::Data,
        Placeholder::Callers,
        Placeholder::Targets,
        Placeholder::Engagement,
    ];

    /// The placeholder's name, without braces.
    pub fn name(self) -> &'static str {
        match self {
            Placeholder::Element => "element",
            Placeholder::Kind => "kind",
            Placeholder::Source => "source",
            Placeholder::Target => "target",
            Placeholder::Protocol => "protocol",
            Placeholder::Boundary => "boundary",
            Placeholder::Boundaries => "boundaries",
            Placeholder::Data => "data",
            Placeholder::Callers => "callers",
            Placeholder::Targets => "targets",
            Placeholder::Engagement => "engagement",
        }
    }

    pub(crate) fn scope(self) -> Scope {
        match self {
            Placeholder::Engagement => Scope::Anywhere,
            Placeholder::Source | Placeholder::Target | Placeholder::Protocol => Scope::Flows,
            Placeholder::Callers | Placeholder::Targets => Scope::Elements,
            _ => Scope::Subjects,
        }
    }
}

/// A piece of a template's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Text copied as is.
    Literal(String),
    /// A placeholder, filled per subject.
    Placeholder(Placeholder),
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
        let name = &after[..end];
        let placeholder = Placeholder::ALL
            .into_iter()
            .find(|p| p.name() == name)
            .ok_or_else(|| {
                let known = Placeholder::ALL.iter().map(|p| p.name());
                let suggestion = crate::diagnostic::suggest(name, known)
                    .map(|s| format!("; did you mean `{{{s}}}`?"))
                    .unwrap_or_default();
                (
                    DiagnosticCode::UnknownPlaceholder,
                    format!("unknown placeholder `{{{name}}}`{suggestion}"),
                )
            })?;
        if !literal.is_empty() {
            segments.push(Segment::Literal(std::mem::take(&mut literal)));
        }
        segments.push(Segment::Placeholder(placeholder));
        offset += i + 1 + end + 1;
        rest = &after[end + 1..];
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        segments.push(Segment::Literal(literal));
    }
    Ok(segments)
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
                Segment::Placeholder(Placeholder::Element),
                Segment::Literal(" talk to ".into()),
                Segment::Placeholder(Placeholder::Target),
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
    }
}
