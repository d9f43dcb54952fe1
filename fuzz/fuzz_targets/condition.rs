//! A template condition (any bytes read as JSON): parsing never panics, and a condition that
//! parses is written back as JSON that parses to the same condition.

#![no_main]

use libfuzzer_sys::fuzz_target;
use threat_interview::bank::Condition;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let Ok(condition) = Condition::from_value(&value, "/when", 1000) else {
        return;
    };
    let _ = condition.operator();
    let _ = condition.is_trivially_true();
    let written = serde_json::to_value(&condition).expect("a condition serializes");
    match Condition::from_value(&written, "/when", usize::MAX) {
        Ok(again) => assert_eq!(again, condition, "written as {written}"),
        Err(error) => panic!("{written} (written from {condition:?}) does not parse: {error:?}"),
    }
});
