//! Any bytes as another tool's file (Threat Dragon, Open Threat Model): importing never
//! panics; an import validates, plans, and comes back whole through its OTM export.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    threat_interview_fuzz::import_pipeline(data);
});
