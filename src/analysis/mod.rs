//! Text as kb understands it, below the search index: the analyzer that cuts
//! Korean mixed with English into search terms ([`analyzer`]), the glossary of equivalent terms
//! ([`glossary`]), and whether two questions ask the same thing ([`similar`]).
//!
//! The index uses all three; none of them knows the index.

pub mod analyzer;
pub mod glossary;
pub mod jamo;
pub mod similar;
