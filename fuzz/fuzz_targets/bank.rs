//! A question bank (any bytes): loading never panics, and a bank that loads and layers on the
//! built-in one generates questions for the online shop example, every text rendered.
//!
//! The first byte picks the format and is not part of the bank: even (`J`) is JSON, odd (`Y`)
//! is YAML.

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use threat_interview::bank::{BankSet, QuestionBank};
use threat_interview::engine::Engine;
use threat_interview::io::{self, Format, Limits, Loaded};

/// The engagement the banks generate questions for, loaded once.
static ENGAGEMENT: LazyLock<Loaded> = LazyLock::new(|| {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/engagements/online-shop.json"
    );
    io::load(path).unwrap_or_else(|error| panic!("cannot load {path}: {error}"))
});

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bank)) = data.split_first() else {
        return;
    };
    let format = if selector % 2 == 0 {
        Format::Json
    } else {
        Format::Yaml
    };
    let Ok(bank) = QuestionBank::from_slice(bank, format, &Limits::default()) else {
        return;
    };
    let Ok(set) = BankSet::with_user_banks([bank]) else {
        return;
    };
    let questions = Engine::new(set).generate(ENGAGEMENT.checked());
    for question in questions.iter() {
        let _ = question.id();
        let _ = question.text();
    }
});
