//! Loading and saving: canonical, deterministic, atomic.

use std::path::PathBuf;

use threat_interview::io::{self, Format, LoadError, Revision, SaveError, SaveOptions};
use threat_interview::{AssuranceLevel, Engagement};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// An engagement with `extensions` at several levels, including keys in no particular order.
fn with_extensions() -> Engagement {
    let text = r#"{
      "schema_version": 1, "id": "ext", "name": "Extensions", "assurance_level": "standard",
      "extensions": {"zeta": 1, "alpha": {"nested": [1, 2.5, "x", null, true]}, "tool.v2": {}},
      "model": {
        "elements": [{"id": "web", "name": "Web", "kind": "process",
                      "properties": {"replicas": 3, "lang": "rust", "auth": ["oidc"], "public": true},
                      "extensions": {"threagile": {"id": "web-1"}}}],
        "flows": [{"id": "loop", "name": "loop", "source": "web", "target": "web",
                   "extensions": {"dragon": {"vertices": [[0, 0], [10, 5]]}}}]
      },
      "participants": [{"id": "a", "name": "Ann", "extensions": {"slack": "@ann"}}]
    }"#;
    io::load_str(text, Format::Json).unwrap().engagement
}

#[test]
fn canonical_json_is_pretty_with_two_spaces_and_a_final_newline() {
    let text = io::to_json_string(&with_extensions());
    assert!(text.starts_with("{\n  \"schema_version\": 1,\n"), "{text}");
    assert!(text.ends_with("}\n") && !text.ends_with("\n\n"));
    assert_eq!(text, io::to_json_string(&with_extensions()));
}

#[test]
fn load_save_load_is_lossless_and_saving_twice_gives_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let mut engagements = vec![with_extensions()];
    let example = repo().join("examples/engagements/online-shop.json");
    if example.exists() {
        engagements.push(io::load(&example).unwrap().engagement);
    }
    for original in engagements {
        for name in ["out.json", "out.yaml"] {
            let path = dir.path().join(name);
            io::save(&original, &path).unwrap();
            let first = std::fs::read(&path).unwrap();
            let reloaded = io::load(&path).unwrap().engagement;
            assert_eq!(reloaded, original, "{name}");
            io::save(&reloaded, &path).unwrap();
            assert_eq!(std::fs::read(&path).unwrap(), first, "{name}: saving twice");
        }
        let json = std::fs::read_to_string(dir.path().join("out.json")).unwrap();
        assert_eq!(json, io::to_json_string(&original));
    }
}

#[test]
fn extensions_survive_a_save() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("e.json");
    io::save(&with_extensions(), &path).unwrap();
    let reloaded = io::load(&path).unwrap().engagement;
    let ext = reloaded.extensions.as_ref().unwrap();
    assert_eq!(ext["alpha"]["nested"][1], 2.5);
    assert_eq!(ext["tool.v2"], serde_json::json!({}));
    assert_eq!(
        reloaded.model.flows[0].extensions.as_ref().unwrap()["dragon"]["vertices"][1][0],
        10
    );
    assert_eq!(
        reloaded.participants[0].extensions.as_ref().unwrap()["slack"],
        "@ann"
    );
}

#[test]
fn a_failed_save_leaves_the_old_file_intact_and_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let engagement = with_extensions();

    // The parent of the target is a file.
    let blocker = dir.path().join("not-a-dir");
    std::fs::write(&blocker, "keep me").unwrap();
    let error = io::save(&engagement, blocker.join("e.json")).unwrap_err();
    assert!(matches!(error, SaveError::Io { .. }), "{error:?}");
    assert!(error.to_string().contains("not-a-dir"), "{error}");
    assert_eq!(std::fs::read_to_string(&blocker).unwrap(), "keep me");

    // The target is a directory: the rename fails after the temporary file was written.
    let target = dir.path().join("taken.json");
    std::fs::create_dir(&target).unwrap();
    std::fs::write(target.join("inside"), "keep me too").unwrap();
    assert!(io::save(&engagement, &target).is_err());
    assert_eq!(
        std::fs::read_to_string(target.join("inside")).unwrap(),
        "keep me too"
    );

    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["not-a-dir", "taken.json"],
        "no temporary file is left behind"
    );
}

#[cfg(unix)]
#[test]
fn a_save_into_a_read_only_directory_keeps_the_old_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("e.json");
    std::fs::write(&path, "old content").unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    // Privileged users write anyway; then there is nothing to test.
    let enforced = std::fs::write(dir.path().join("probe"), "").is_err();
    let result = io::save(&with_extensions(), &path);
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    if enforced {
        assert!(result.is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old content");
    }
}

#[test]
fn saving_keeps_the_permissions_of_the_file_it_replaces() {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("e.json");
        std::fs::write(&path, "{}").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        io::save(&with_extensions(), &path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
    }
}

#[test]
fn loading_a_missing_file_is_an_io_error_naming_it() {
    let error = io::load("/definitely/not/here.json").unwrap_err();
    assert!(matches!(error, LoadError::Read(_)));
    assert_eq!(error.to_string(), "cannot read `/definitely/not/here.json`");
}

#[test]
fn loading_a_file_of_the_wrong_shape_reports_every_structural_problem() {
    let text = r#"{"schema_version": 1, "id": "e", "name": "n", "assurance_level": "fast",
      "model": {"elements": [{"id": "a", "name": "a", "kind": "robot", "colour": 1}]}}"#;
    let Err(LoadError::Invalid { report }) = io::load_str(text, Format::Json) else {
        panic!("expected an invalid engagement");
    };
    let pointers: Vec<&str> = report.errors.iter().map(|d| d.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        ["/model/elements/0/kind", "/model/elements/0/colour"]
    );
    assert!(report.errors.iter().all(|d| d.line == Some(2)));
}

#[test]
fn loading_judges_meaning_too() {
    // One meaning of valid: a dangling flow target stops a load as validation reports it.
    let text = r#"{"schema_version": 1, "id": "e", "name": "n", "assurance_level": "fast",
      "model": {"flows": [{"id": "f", "name": "f", "source": "a", "target": "b"}]}}"#;
    let Err(LoadError::Invalid { report }) = io::load_str(text, Format::Json) else {
        panic!("a dangling flow is invalid");
    };
    let codes: Vec<&str> = report.errors.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["flow-source-missing", "flow-target-missing"]);
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let text = "\u{feff}{\"schema_version\": 1, \"id\": \"e\", \"name\": \"n\", \"assurance_level\": \"high\"}";
    let engagement = io::load_str(text, Format::Json).unwrap().engagement;
    assert_eq!(engagement, Engagement::new("e", "n", AssuranceLevel::High));
}

#[test]
fn a_duplicate_key_stops_the_load_with_both_places() {
    let text = "{\"schema_version\": 1, \"id\": \"e\", \"name\": \"n\",\n \"assurance_level\": \"fast\",\n \"questions\": [],\n \"questions\": []}";
    let Err(LoadError::Invalid { report }) = io::load_str(text, Format::Json) else {
        panic!("a duplicate key is refused");
    };
    let first = &report.errors[0];
    assert_eq!(first.code.as_str(), "duplicate-key");
    assert_eq!((first.line, first.column), (Some(4), Some(2)));
    assert!(
        first.message.contains("first at line 3, column 2"),
        "{}",
        first.message
    );
}

#[test]
fn integers_past_64_bits_are_kept_exactly_in_json_and_yaml() {
    let text = r#"{"schema_version": 1, "id": "e", "name": "n", "assurance_level": "fast",
      "scope": {"out_of_scope": ["x"]},
      "extensions": {"big": 123456789012345678901234567890, "neg": -98765432109876543210},
      "model": {"elements": [{"id": "p", "name": "P", "kind": "process",
        "properties": {"serial": 18446744073709551616000}}]}}"#;
    let engagement = io::load_str(text, Format::Json).unwrap().engagement;
    let dir = tempfile::tempdir().unwrap();
    for name in ["e.json", "e.yaml"] {
        let path = dir.path().join(name);
        io::save(&engagement, &path).unwrap();
        let saved = std::fs::read_to_string(&path).unwrap();
        assert!(saved.contains("123456789012345678901234567890"), "{saved}");
        assert!(saved.contains("-98765432109876543210"), "{saved}");
        assert!(saved.contains("18446744073709551616000"), "{saved}");
        assert_eq!(io::load(&path).unwrap().engagement, engagement);
    }
}

#[test]
fn extension_keys_keep_the_order_they_were_written_in() {
    let text = io::to_json_string(&with_extensions());
    let zeta = text.find("\"zeta\"").unwrap();
    let alpha = text.find("\"alpha\"").unwrap();
    assert!(zeta < alpha, "{text}");
}

#[test]
fn a_save_refuses_an_invalid_engagement_and_leaves_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("e.json");
    std::fs::write(&path, "old").unwrap();
    let mut engagement = with_extensions();
    engagement.model.flows[0].target = "nowhere".into();
    let error = io::save(&engagement, &path).unwrap_err();
    assert!(matches!(error, SaveError::Invalid { .. }), "{error:?}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
}

#[test]
fn a_save_over_a_file_changed_since_it_was_loaded_is_a_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("e.json");
    io::save(&with_extensions(), &path).unwrap();
    let loaded = io::load(&path).unwrap();
    assert_eq!(
        loaded.revision,
        Revision::of(&std::fs::read(&path).unwrap())
    );
    // Someone else saves first.
    let mut theirs = loaded.engagement.clone();
    theirs.name = "Theirs".into();
    let options = SaveOptions::default().expecting(loaded.revision);
    let written = io::save_with(&theirs, &path, &options).unwrap();
    // Our save, based on the old revision, is refused and changes nothing.
    let mut ours = loaded.engagement.clone();
    ours.name = "Ours".into();
    let error = io::save_with(&ours, &path, &options).unwrap_err();
    let SaveError::Conflict {
        expected, found, ..
    } = &error
    else {
        panic!("{error:?}");
    };
    assert_eq!((*expected, *found), (loaded.revision, Some(written)));
    assert!(
        error.to_string().contains("changed since it was loaded"),
        "{error}"
    );
    assert_eq!(io::load(&path).unwrap().engagement.name, "Theirs");
}

#[cfg(unix)]
#[test]
fn a_save_through_a_symbolic_link_writes_the_target_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.json");
    let link = dir.path().join("link.json");
    io::save(&with_extensions(), &real).unwrap();
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let mut engagement = with_extensions();
    engagement.name = "Through the link".into();
    io::save(&engagement, &link).unwrap();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(io::load(&real).unwrap().engagement.name, "Through the link");
}

#[cfg(unix)]
#[test]
fn a_save_keeps_hard_links() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let one = dir.path().join("one.json");
    let two = dir.path().join("two.json");
    io::save(&with_extensions(), &one).unwrap();
    std::fs::hard_link(&one, &two).unwrap();
    let mut engagement = with_extensions();
    engagement.name = "Linked".into();
    io::save(&engagement, &one).unwrap();
    assert_eq!(std::fs::metadata(&one).unwrap().nlink(), 2);
    assert_eq!(io::load(&two).unwrap().engagement.name, "Linked");
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "no backup left behind: {names:?}");
}

#[test]
fn a_yaml_file_with_comments_is_not_saved_over_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("e.yaml");
    let text = "# reviewed by Ana\nschema_version: 1\nid: e\nname: n\nassurance_level: fast\nscope:\n  out_of_scope: [x]\n";
    std::fs::write(&path, text).unwrap();
    let engagement = io::load(&path).unwrap().engagement;
    let error = io::save(&engagement, &path).unwrap_err();
    assert!(matches!(error, SaveError::YamlComments { .. }), "{error:?}");
    assert!(error.to_string().contains("line 1, column 1"), "{error}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    let options = SaveOptions::default().dropping_yaml_comments();
    io::save_with(&engagement, &path, &options).unwrap();
    assert_eq!(io::load(&path).unwrap().engagement, engagement);
}

#[cfg(unix)]
#[test]
fn a_save_keeps_the_owner_of_the_file() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("e.json");
    io::save(&with_extensions(), &path).unwrap();
    // Giving a file to another owner takes privileges; without them there is nothing to test.
    if std::os::unix::fs::chown(&path, Some(4321), Some(4321)).is_err() {
        return;
    }
    io::save(&with_extensions(), &path).unwrap();
    let metadata = std::fs::metadata(&path).unwrap();
    assert_eq!((metadata.uid(), metadata.gid()), (4321, 4321));
}

#[test]
fn an_export_is_written_whole_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("model.otm.json");
    io::write_bytes(&out, b"first").unwrap();
    io::write_bytes(&out, b"second, longer").unwrap();
    assert_eq!(std::fs::read(&out).unwrap(), b"second, longer");
    // A target that is a directory: the write fails and what was there stays.
    let taken = dir.path().join("taken");
    std::fs::create_dir(&taken).unwrap();
    std::fs::write(taken.join("inside"), "keep me").unwrap();
    assert!(io::write_bytes(&taken, b"x").is_err());
    assert_eq!(
        std::fs::read_to_string(taken.join("inside")).unwrap(),
        "keep me"
    );
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["model.otm.json", "taken"],
        "no temporary file is left"
    );
}
