//! The JSON shapes the CLI prints: one object per input line.

use serde_json::{json, Value};

use crate::matcher::{Candidate, Comparison, Explanation, Resolution};

/// `{"query", "outcome", "entity_id", "name", "score", "matched_alias", "method", "candidates"}`.
pub(crate) fn resolution(query: &str, resolution: &Resolution) -> Value {
    let top_score = resolution.candidates.first().or(resolution.best.as_ref()).map_or(0.0, |c| c.score);
    let best = resolution.best.as_ref();
    let mut object = json!({
        "query": query,
        "outcome": resolution.outcome.as_str(),
        "entity_id": best.map(|b| b.entity_id.as_str()),
        "name": best.map(|b| b.name.as_str()),
        "score": best.map_or(top_score, |b| b.score),
        "matched_alias": best.map(|b| b.matched_alias.as_str()),
        "method": best.map(|b| b.method.as_str()),
        "candidates": resolution.candidates.iter().map(candidate).collect::<Vec<_>>(),
    });
    if let (Some(explanation), Some(map)) = (&resolution.explanation, object.as_object_mut()) {
        map.insert("explanation".into(), explain(explanation));
    }
    object
}

fn candidate(candidate: &Candidate) -> Value {
    json!({
        "entity_id": candidate.entity_id,
        "name": candidate.name,
        "type": candidate.kind.as_str(),
        "score": candidate.score,
        "matched_alias": candidate.matched_alias,
        "method": candidate.method.as_str(),
    })
}

/// `{"left", "right", "score", "match", "method"}`.
pub(crate) fn comparison(left: &str, right: &str, comparison: &Comparison, with_explanation: bool) -> Value {
    let mut object = json!({
        "left": left,
        "right": right,
        "score": (comparison.score * 1e4).round() / 1e4,
        "match": comparison.is_match,
        "method": comparison.method.as_str(),
    });
    if let (true, Some(map)) = (with_explanation, object.as_object_mut()) {
        map.insert("explanation".into(), explain(&comparison.explanation));
    }
    object
}

fn explain(explanation: &Explanation) -> Value {
    json!({
        "query_key": explanation.query_key,
        "query_words": explanation.query_words,
        "name_words": explanation.name_words,
        "pairs": explanation.pairs.iter().map(|p| json!({
            "query_word": explanation.query_words.get(p.query),
            "name_word": explanation.name_words.get(p.name),
            "similarity": (f64::from(p.similarity) * 1e3).round() / 1e3,
            "rule": p.rule.as_str(),
        })).collect::<Vec<_>>(),
    })
}

/// `{"line", "left", "right", "outcome": "error", "match": null, "error"}` for a pair
/// that could not be compared: what of the pair could be read, and what is wrong.
pub(crate) fn pair_error(line: u64, left: Option<&str>, right: Option<&str>, error: &str) -> Value {
    json!({ "line": line, "left": left, "right": right, "outcome": "error", "match": null, "error": error })
}

/// `{"line", "query", "error"}` for an input line that could not be used.
pub(crate) fn line_error(line: u64, query: Option<&str>, error: &str) -> Value {
    json!({ "line": line, "query": query, "outcome": "error", "entity_id": null, "error": error })
}
