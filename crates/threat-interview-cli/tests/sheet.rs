//! The spreadsheet round trip on the command line: `export --format csv`, answers filled in,
//! `import-answers`.

mod common;

use common::{EXAMPLE, repo, run, stderr, stdout};
use serde_json::Value;

/// A planned copy of the example in a temporary directory.
fn planned() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop.json");
    std::fs::copy(repo().join(EXAMPLE), &path).unwrap();
    let path = path.to_str().unwrap().to_owned();
    let output = run(&["plan", &path, "--write"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    (dir, path)
}

fn read_rows(text: &str) -> Vec<Vec<String>> {
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

fn write_rows(path: &std::path::Path, header: &str, rows: &[Vec<String>]) {
    let mut writer = csv::Writer::from_path(path).unwrap();
    writer.write_record(header.trim_end().split(',')).unwrap();
    for row in rows {
        writer.write_record(row).unwrap();
    }
    writer.flush().unwrap();
}

fn json(path: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

const ANSWER: usize = 6;

#[test]
fn three_answers_filled_in_are_imported_and_nothing_else_changes() {
    let (dir, path) = planned();
    let export = run(&["export", &path, "--format", "csv"]);
    assert_eq!(export.status.code(), Some(0), "{}", stderr(&export));
    let text = stdout(&export);
    assert_eq!(
        run(&["export", &path, "--format", "csv"]).stdout,
        export.stdout,
        "deterministic"
    );
    let header = text.lines().next().unwrap();
    assert_eq!(
        header,
        "id,subjects,category,role,text,status,answer,answered_by,answered_on"
    );
    assert!(text.contains("\r\n"), "RFC 4180 line ends");
    let mut rows = read_rows(&text);
    let before = json(&path);
    assert_eq!(rows.len(), before["questions"].as_array().unwrap().len());

    let filled = [2, 17, 40];
    rows[filled[0]][ANSWER] = "Sessions expire after 30 minutes, \"idle\"".to_owned();
    rows[filled[1]][ANSWER] = "Two lines:\nTLS 1.2 at least, HSTS on".to_owned();
    rows[filled[2]][ANSWER] = "Yes".to_owned();
    rows[filled[2]][ANSWER + 1] = "sam-okoro".to_owned();
    rows[filled[2]][ANSWER + 2] = "2026-12-05".to_owned();
    let sheet = dir.path().join("answers.csv");
    write_rows(&sheet, header, &rows);

    let output = run(&[
        "import-answers",
        &path,
        sheet.to_str().unwrap(),
        "--by",
        "li-wei",
        "--at",
        "2026-12-04",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("3 answers imported"),
        "{}",
        stderr(&output)
    );

    let after = json(&path);
    let (old, new) = (
        before["questions"].as_array().unwrap(),
        after["questions"].as_array().unwrap(),
    );
    for (i, (old, new)) in old.iter().zip(new).enumerate() {
        if filled.contains(&i) {
            assert_eq!(new["status"], "answered");
            assert_eq!(new["answers"].as_array().unwrap().len(), 1);
            let mut without = new.clone();
            without.as_object_mut().unwrap().remove("answers");
            without["status"] = old["status"].clone();
            assert_eq!(
                &without, old,
                "only the answer and the status of {i} change"
            );
        } else {
            assert_eq!(old, new, "question {i} changed");
        }
    }
    assert_eq!(new_answer(&after, filled[0])["by"], "li-wei");
    assert_eq!(new_answer(&after, filled[0])["at"], "2026-12-04");
    assert_eq!(
        new_answer(&after, filled[1])["text"],
        "Two lines:\nTLS 1.2 at least, HSTS on"
    );
    assert_eq!(new_answer(&after, filled[2])["by"], "sam-okoro");
    assert_eq!(new_answer(&after, filled[2])["at"], "2026-12-05");
    let mut rest_before = before.clone();
    let mut rest_after = after.clone();
    rest_before.as_object_mut().unwrap().remove("questions");
    rest_after.as_object_mut().unwrap().remove("questions");
    assert_eq!(rest_before, rest_after, "nothing but the questions changes");

    // Exported again, the answers are in the sheet; importing that sheet adds nothing.
    let again = dir.path().join("again.csv");
    let output = run(&[
        "export",
        &path,
        "--format",
        "csv",
        "-o",
        again.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let saved = std::fs::read(&path).unwrap();
    let output = run(&["import-answers", &path, again.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).contains("no new answer"));
    assert_eq!(
        std::fs::read(&path).unwrap(),
        saved,
        "the file is not even rewritten"
    );
}

fn new_answer(engagement: &Value, index: usize) -> &Value {
    &engagement["questions"][index]["answers"][0]
}

#[test]
fn refused_rows_are_reported_by_line_and_nothing_is_imported() {
    let (dir, path) = planned();
    let text = stdout(&run(&["export", &path, "--format", "csv"]));
    let header = text.lines().next().unwrap().to_owned();
    let mut rows = read_rows(&text);
    rows[0][ANSWER] = "A good answer".to_owned();
    rows[1][0] = "engagement.business.stride-calibratoin".to_owned();
    rows[1][ANSWER] = "Typo in the id".to_owned();
    rows[3][ANSWER] = "First".to_owned();
    rows[4] = rows[3].clone();
    rows[4][ANSWER] = "Second".to_owned();
    rows[5][ANSWER] = "By nobody".to_owned();
    rows[5][ANSWER + 1] = "nobody".to_owned();
    let sheet = dir.path().join("answers.csv");
    write_rows(&sheet, &header, &rows);
    let before = std::fs::read(&path).unwrap();
    let output = run(&["import-answers", &path, sheet.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(std::fs::read(&path).unwrap(), before, "nothing imported");
    let sheet_name = sheet.to_str().unwrap();
    insta::assert_snapshot!(
        stderr(&output)
            .replace(sheet_name, "answers.csv")
            .replace(&path, "shop.json")
    );

    // A question already answered is not answered again from the sheet.
    let output = run(&[
        "answer",
        &path,
        &rows[0][0],
        "--text",
        "Recorded live",
        "--by",
        "ana-ferreira",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    write_rows(&sheet, &header, &rows[..1]);
    let output = run(&["import-answers", &path, sheet_name]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(
        "already_answered",
        stderr(&output)
            .replace(sheet_name, "answers.csv")
            .replace(&path, "shop.json")
    );

    // A sheet without the columns the import reads.
    std::fs::write(&sheet, "question,reply\r\nx,y\r\n").unwrap();
    let output = run(&["import-answers", &path, sheet_name]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains(
            "answers.csv:1:1: error[missing-field]: the header has no `id` or `answer` column"
        ),
        "{}",
        stderr(&output)
    );
}

#[test]
fn texts_a_spreadsheet_would_run_are_marked_and_read_back() {
    let (dir, path) = planned();
    let mut engagement = json(&path);
    engagement["questions"][0]["text"] = Value::from("=cmd|' /C calc'!A0");
    std::fs::write(&path, serde_json::to_string_pretty(&engagement).unwrap()).unwrap();
    let text = stdout(&run(&["export", &path, "--format", "csv"]));
    let mut rows = read_rows(&text);
    assert_eq!(rows[0][4], "'=cmd|' /C calc'!A0");
    rows[0][ANSWER] = "'=SUM(1)".to_owned();
    let header = text.lines().next().unwrap().to_owned();
    let sheet = dir.path().join("answers.csv");
    write_rows(&sheet, &header, &rows[..1]);
    let output = run(&["import-answers", &path, sheet.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(json(&path)["questions"][0]["answers"][0]["text"], "=SUM(1)");
}
