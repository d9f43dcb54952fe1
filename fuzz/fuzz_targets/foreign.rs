//! A file of another tool (any bytes after a format byte): importing never panics, an imported
//! engagement validates without an error, and for a Threats Manager Studio model, writing its own
//! questions back into it never panics and, when it works, imports to the same model.

#![no_main]

use libfuzzer_sys::fuzz_target;
use threat_interview::import::tms_export::{TopicOptions, write_topics};
use threat_interview::import::{ForeignFormat, import_bytes};
use threat_interview::source::Limits;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let format = match selector % 3 {
        0 => None,
        1 => Some(ForeignFormat::Tm7),
        _ => Some(ForeignFormat::Tms),
    };
    let limits = Limits::default().with_max_bytes(1 << 20);
    let Ok(imported) = import_bytes(bytes, format, &limits) else {
        return;
    };
    let report = imported.engagement.validate();
    assert!(report.is_valid(), "an import is valid: {:?}", report.errors);
    if imported.format == ForeignFormat::Tms {
        let options = TopicOptions::new("fuzz", "2024-01-01");
        if let Ok(written) = write_topics(bytes, &imported.engagement, &options, &limits) {
            let again = import_bytes(&written.bytes, Some(ForeignFormat::Tms), &limits)
                .expect("a model written with topics imports");
            assert_eq!(again.engagement.model, imported.engagement.model);
        }
    }
});
