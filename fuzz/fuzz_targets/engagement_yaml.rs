//! An engagement file in YAML (any bytes): validation never panics, and a valid one goes
//! through generation, merge, planning and coverage, then is written back valid and whole.

#![no_main]

use libfuzzer_sys::fuzz_target;
use threat_interview::io::Format;

fuzz_target!(|data: &[u8]| {
    threat_interview_fuzz::engagement_pipeline(data, Format::Yaml);
});
