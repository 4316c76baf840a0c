//! Between the wire and the library: protobuf requests checked and turned into library
//! queries, library answers turned into protobuf responses, library errors turned into
//! gRPC statuses (in one place: [`query_status`]).
//!
//! In: proto messages and library values. Out: the other side, or an INVALID_ARGUMENT
//! status saying what is wrong. It must never panic on any input (every enum value and
//! string is checked) and never decide anything about matching.

use tonic::Status;

use super::proto;
use super::state::{Limits, Snapshot};
use super::MATCHER_VERSION;
use crate::aliases::{Entity, EntityType, Name};
use crate::matcher::score::Rule;
use crate::matcher::{Candidate, Comparison, Explanation, Method, Outcome, Query, QueryError, Resolution};

/// The one mapping from library query errors to gRPC statuses: every one is the
/// caller's fault, so INVALID_ARGUMENT with the library's message, prefixed with which
/// field (or item) was wrong.
pub fn query_status(error: &QueryError, field: &str) -> Status {
    let code = match error {
        QueryError::Empty | QueryError::TooLong { .. } | QueryError::NothingToMatch | QueryError::BadThreshold(_) => {
            tonic::Code::InvalidArgument
        }
    };
    Status::new(code, format!("{field}: {error}"))
}

/// The entity-type filter of a request: `None` for UNSPECIFIED, INVALID_ARGUMENT for a
/// number this server does not know.
pub fn entity_type_filter(value: i32, field: &str) -> Result<Option<EntityType>, Status> {
    match proto::EntityType::try_from(value) {
        Ok(proto::EntityType::Unspecified) => Ok(None),
        Ok(proto::EntityType::Organization) => Ok(Some(EntityType::Organization)),
        Ok(proto::EntityType::Person) => Ok(Some(EntityType::Person)),
        Ok(proto::EntityType::Location) => Ok(Some(EntityType::Location)),
        Ok(proto::EntityType::Vessel) => Ok(Some(EntityType::Vessel)),
        Ok(proto::EntityType::Other) => Ok(Some(EntityType::Other)),
        Err(_) => Err(Status::invalid_argument(format!(
            "{field}: unknown entity type {value} (expected 0 for any, or 1-5: organization, person, location, vessel, other)"
        ))),
    }
}

/// A request's threshold, checked here so the message names the field.
fn threshold(value: Option<f64>, field: &str) -> Result<Option<f64>, Status> {
    match value {
        Some(t) if !(0.0..=1.0).contains(&t) || t.is_nan() => {
            Err(Status::invalid_argument(format!("{field}: threshold {t} is outside [0, 1]")))
        }
        other => Ok(other),
    }
}

/// A checked library query borrowing the request's name. `item` prefixes the field
/// names in messages (empty, or the item of a batch).
pub fn query<'a>(request: &'a proto::ResolveRequest, limits: &Limits, item: &str) -> Result<Query<'a>, Status> {
    if request.max_candidates > limits.max_candidates {
        return Err(Status::invalid_argument(format!(
            "{item}max_candidates: {} is over the limit of {}",
            request.max_candidates, limits.max_candidates
        )));
    }
    let kind = entity_type_filter(request.r#type, &format!("{item}type"))?;
    let threshold = threshold(request.threshold, &format!("{item}threshold"))?;
    Ok(Query {
        name: &request.name,
        kind,
        max_candidates: request.max_candidates as usize,
        threshold,
        explain: request.explain,
    })
}

/// Resolves one request against one snapshot; the outcome is returned for metrics.
pub fn resolve(
    snapshot: &Snapshot,
    request: &proto::ResolveRequest,
    limits: &Limits,
) -> Result<(proto::ResolveResponse, Outcome), Status> {
    let query = query(request, limits, "")?;
    let resolution = snapshot.matcher().resolve(&query).map_err(|e| query_status(&e, "name"))?;
    Ok((resolve_response(snapshot.version(), &request.request_id, &resolution), resolution.outcome))
}

/// A status about one item of a batch or stream: its message prefixed with the item.
pub fn item_status(status: &Status, collection: &str, index: usize) -> Status {
    Status::new(status.code(), format!("{collection}[{index}].{}", status.message()))
}

/// The response for a resolution.
pub fn resolve_response(table_version: &str, request_id: &str, resolution: &Resolution) -> proto::ResolveResponse {
    let best = resolution.best.as_ref();
    let top_score = resolution.candidates.first().or(best).map_or(0.0, |c| c.score);
    proto::ResolveResponse {
        outcome: outcome(resolution.outcome) as i32,
        entity_id: best.map(|b| b.entity_id.clone()).unwrap_or_default(),
        canonical_name: best.map(|b| b.name.clone()).unwrap_or_default(),
        score: best.map_or(top_score, |b| b.score),
        matched_alias: best.map(|b| b.matched_alias.clone()).unwrap_or_default(),
        method: best.map_or(proto::Method::Unspecified, |b| method(b.method)) as i32,
        candidates: resolution.candidates.iter().map(candidate).collect(),
        table_version: table_version.to_string(),
        request_id: request_id.to_string(),
        explanation: resolution.explanation.as_ref().map(explanation),
        matcher_version: MATCHER_VERSION.to_string(),
        entity_type: best.map_or(proto::EntityType::Unspecified, |b| entity_type(b.kind)) as i32,
    }
}

/// Compares two names against one snapshot.
pub fn compare(snapshot: &Snapshot, request: &proto::CompareRequest) -> Result<proto::CompareResponse, Status> {
    let kind = entity_type_filter(request.r#type, "type")?;
    let threshold = threshold(request.threshold, "threshold")?;
    let matcher = snapshot.matcher();
    let comparison: Comparison = matcher
        .compare(&request.left, &request.right, kind)
        .map_err(|refused| query_status(&refused.error, refused.side.as_str()))?;
    let is_match = threshold.map_or(comparison.is_match, |t| comparison.score >= t);
    Ok(proto::CompareResponse {
        score: (comparison.score * 1e4).round() / 1e4,
        is_match,
        method: method(comparison.method) as i32,
        explanation: Some(explanation(&comparison.explanation)),
        table_version: snapshot.version().to_string(),
        matcher_version: MATCHER_VERSION.to_string(),
        request_id: request.request_id.clone(),
    })
}

/// An entity with all its names.
pub fn entity(entity: &Entity, table_version: &str) -> proto::Entity {
    proto::Entity {
        entity_id: entity.id.clone(),
        r#type: entity_type(entity.kind) as i32,
        canonical_name: Some(name(&entity.name)),
        aliases: entity.aliases.iter().map(name).collect(),
        wikidata: entity.wikidata.clone().unwrap_or_default(),
        note: entity.note.clone().unwrap_or_default(),
        table_version: table_version.to_string(),
    }
}

fn name(name: &Name) -> proto::Name {
    proto::Name {
        text: name.text.clone(),
        exact: name.exact,
        shared: name.shared,
        lang: name.lang.clone().unwrap_or_default(),
        note: name.note.clone().unwrap_or_default(),
    }
}

fn candidate(candidate: &Candidate) -> proto::Candidate {
    proto::Candidate {
        entity_id: candidate.entity_id.clone(),
        canonical_name: candidate.name.clone(),
        r#type: entity_type(candidate.kind) as i32,
        score: candidate.score,
        matched_alias: candidate.matched_alias.clone(),
        method: method(candidate.method) as i32,
    }
}

fn explanation(explanation: &Explanation) -> proto::Explanation {
    let word = |words: &[String], i: usize| words.get(i).cloned().unwrap_or_default();
    proto::Explanation {
        query_key: explanation.query_key.clone(),
        query_words: explanation.query_words.clone(),
        name_words: explanation.name_words.clone(),
        pairs: explanation
            .pairs
            .iter()
            .map(|pair| proto::WordPair {
                query_index: u32::try_from(pair.query).unwrap_or(u32::MAX),
                name_index: u32::try_from(pair.name).unwrap_or(u32::MAX),
                query_word: word(&explanation.query_words, pair.query),
                name_word: word(&explanation.name_words, pair.name),
                similarity: (f64::from(pair.similarity) * 1e3).round() / 1e3,
                rule: rule(pair.rule) as i32,
            })
            .collect(),
    }
}

/// The wire value of an outcome.
pub fn outcome(outcome: Outcome) -> proto::Outcome {
    match outcome {
        Outcome::Matched => proto::Outcome::Matched,
        Outcome::Ambiguous => proto::Outcome::Ambiguous,
        Outcome::NoMatch => proto::Outcome::NoMatch,
    }
}

fn method(method: Method) -> proto::Method {
    match method {
        Method::Exact => proto::Method::Exact,
        Method::Normalized => proto::Method::Normalized,
        Method::Romanized => proto::Method::Romanized,
        Method::Acronym => proto::Method::Acronym,
        Method::Fuzzy => proto::Method::Fuzzy,
    }
}

fn entity_type(kind: EntityType) -> proto::EntityType {
    match kind {
        EntityType::Organization => proto::EntityType::Organization,
        EntityType::Person => proto::EntityType::Person,
        EntityType::Location => proto::EntityType::Location,
        EntityType::Vessel => proto::EntityType::Vessel,
        EntityType::Other => proto::EntityType::Other,
    }
}

fn rule(rule: Rule) -> proto::Rule {
    match rule {
        Rule::Equal => proto::Rule::Equal,
        Rule::Equivalent => proto::Rule::Equivalent,
        Rule::Article => proto::Rule::Article,
        Rule::Joined => proto::Rule::Joined,
        Rule::Consonants => proto::Rule::Consonants,
        Rule::Skeleton => proto::Rule::Skeleton,
        Rule::Edit => proto::Rule::Edit,
        Rule::Syllable => proto::Rule::Syllable,
        Rule::Plural => proto::Rule::Plural,
        Rule::Prefix => proto::Rule::Prefix,
        Rule::Initial => proto::Rule::Initial,
        Rule::Initials => proto::Rule::Initials,
        Rule::Derived => proto::Rule::Derived,
    }
}
