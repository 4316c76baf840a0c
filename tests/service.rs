//! The gRPC service end to end: a real server on 127.0.0.1:0 over the built-in table,
//! called with the generated tonic clients.

#[path = "common/server.rs"]
mod server;

use std::time::Duration;

use canonym::matcher::Query;
use canonym::service::proto::{
    self, CompareRequest, EntityType, GetEntityRequest, Method, Outcome, ResolveBatchRequest, ResolveRequest,
};
use canonym::service::{Limits, Rpc};
use server::{builtin_matcher, builtin_state, eventually, TestServer};
use tokio_stream::StreamExt;
use tonic::Code;

fn request(name: &str) -> ResolveRequest {
    ResolveRequest { name: name.to_string(), ..Default::default() }
}

async fn default_server() -> TestServer {
    TestServer::start(builtin_state(Limits::default())).await
}

#[tokio::test]
async fn resolve_answers_from_the_builtin_table() {
    let server = default_server().await;
    let mut client = server.client().await;
    let version = builtin_matcher().table().version().to_string();

    let isis = client
        .resolve(ResolveRequest { request_id: "req-1".into(), ..request("ISIS") })
        .await
        .expect("resolve ISIS")
        .into_inner();
    assert_eq!(isis.outcome(), Outcome::Matched);
    assert_eq!(isis.entity_id, "org:islamic-state");
    assert_eq!(isis.canonical_name, "Islamic State");
    assert_eq!(isis.matched_alias, "ISIS");
    assert_eq!(isis.method(), Method::Exact);
    assert_eq!(isis.entity_type(), EntityType::Organization);
    assert_eq!(isis.score, 1.0);
    assert_eq!(isis.request_id, "req-1");
    assert_eq!(isis.table_version, version);
    assert_eq!(isis.matcher_version, env!("CARGO_PKG_VERSION"));
    assert!(isis.explanation.is_none(), "no explanation unless asked");

    let syria = client.resolve(request("Syria")).await.expect("resolve Syria").into_inner();
    assert_eq!(syria.outcome(), Outcome::Matched);
    assert_eq!(syria.entity_id, "country:SY");
    assert_eq!(syria.entity_type(), EntityType::Location);

    let congo = client.resolve(request("Congo")).await.expect("resolve Congo").into_inner();
    assert_eq!(congo.outcome(), Outcome::Ambiguous);
    assert_eq!(congo.entity_id, "", "no entity unless matched");
    assert_eq!(congo.method(), Method::Unspecified);
    let ids: Vec<&str> = congo.candidates.iter().map(|c| c.entity_id.as_str()).collect();
    assert!(ids.len() >= 2, "an ambiguous answer lists its contenders: {ids:?}");
    assert!(ids.contains(&"country:CD") && ids.contains(&"country:CG"), "{ids:?}");

    let nothing = client.resolve(request("xqzvw plorb")).await.expect("resolve nonsense").into_inner();
    assert_eq!(nothing.outcome(), Outcome::NoMatch);
    assert_eq!(nothing.entity_id, "");
}

#[tokio::test]
async fn resolve_matches_the_library_with_every_option() {
    let server = default_server().await;
    let mut client = server.client().await;
    let matcher = builtin_matcher();
    for (name, kind, library_kind) in [
        ("Syria", EntityType::Person, Some(canonym::aliases::EntityType::Person)),
        ("Syria", EntityType::Location, Some(canonym::aliases::EntityType::Location)),
        ("Islamic Stat of Iraq", EntityType::Unspecified, None),
        ("Hamas", EntityType::Unspecified, None),
    ] {
        let response = client
            .resolve(ResolveRequest {
                name: name.into(),
                r#type: kind as i32,
                max_candidates: 5,
                threshold: Some(0.7),
                explain: true,
                ..Default::default()
            })
            .await
            .expect("resolve")
            .into_inner();
        let query = Query { name, kind: library_kind, max_candidates: 5, threshold: Some(0.7), explain: true };
        let expected = matcher.resolve(&query).expect("library resolves");
        assert_eq!(response.outcome, canonym::service::convert::outcome(expected.outcome) as i32, "{name}");
        assert_eq!(response.entity_id, expected.best.as_ref().map(|b| b.entity_id.clone()).unwrap_or_default());
        let ids: Vec<&str> = response.candidates.iter().map(|c| c.entity_id.as_str()).collect();
        let expected_ids: Vec<&str> = expected.candidates.iter().map(|c| c.entity_id.as_str()).collect();
        assert_eq!(ids, expected_ids, "{name}");
        let explanation = response.explanation.expect("explanation when asked");
        let library = expected.explanation.expect("library explanation");
        assert_eq!(explanation.query_words, library.query_words);
        assert_eq!(explanation.pairs.len(), library.pairs.len());
        for pair in &explanation.pairs {
            assert_eq!(pair.query_word, explanation.query_words[pair.query_index as usize]);
            assert_ne!(pair.rule, proto::Rule::Unspecified as i32);
        }
    }
    let person_syria = client
        .resolve(ResolveRequest { r#type: EntityType::Person as i32, ..request("Syria") })
        .await
        .expect("resolve")
        .into_inner();
    assert_ne!(person_syria.entity_id, "country:SY", "the type filter excludes the country");
}

#[tokio::test]
async fn batch_answers_in_request_order_with_per_item_options() {
    let server = default_server().await;
    let mut client = server.client().await;
    let requests = vec![
        ResolveRequest { request_id: "a".into(), ..request("Syria") },
        ResolveRequest { request_id: "b".into(), explain: true, ..request("ISIS") },
        ResolveRequest { request_id: "c".into(), max_candidates: 4, ..request("Congo") },
        ResolveRequest { request_id: "d".into(), r#type: EntityType::Person as i32, ..request("Syria") },
        ResolveRequest { request_id: "e".into(), ..request("Hamas") },
    ];
    // Repeat past the inline limit so the blocking-pool path is exercised too.
    let many: Vec<ResolveRequest> = (0..40).flat_map(|_| requests.clone()).collect();
    for batch in [requests.clone(), many] {
        let response =
            client.resolve_batch(ResolveBatchRequest { requests: batch.clone() }).await.expect("batch").into_inner();
        assert_eq!(response.responses.len(), batch.len());
        assert_eq!(response.table_version, builtin_matcher().table().version());
        for (sent, got) in batch.iter().zip(&response.responses) {
            let single = client.resolve(sent.clone()).await.expect("single").into_inner();
            assert_eq!(got, &single, "batch item {} equals the unary answer", sent.request_id);
        }
    }
}

#[tokio::test]
async fn stream_answers_in_request_order() {
    let server = default_server().await;
    let mut client = server.client().await;
    let names = ["Syria", "ISIS", "Congo", "Hamas", "xqzvw plorb", "Islamic Stat"];
    let requests: Vec<ResolveRequest> =
        (0..300).map(|i| ResolveRequest { request_id: i.to_string(), ..request(names[i % names.len()]) }).collect();
    let mut stream =
        client.resolve_stream(tokio_stream::iter(requests.clone())).await.expect("stream opens").into_inner();
    let mut got = Vec::new();
    while let Some(response) = stream.next().await {
        got.push(response.expect("stream item"));
    }
    assert_eq!(got.len(), requests.len());
    for (i, response) in got.iter().enumerate() {
        assert_eq!(response.request_id, i.to_string(), "responses in request order");
    }
    for i in 0..names.len() {
        let single = client.resolve(requests[i].clone()).await.expect("single").into_inner();
        assert_eq!(got[i], single);
    }
}

async fn invalid(
    client: &mut proto::resolver_client::ResolverClient<tonic::transport::Channel>,
    req: ResolveRequest,
) -> String {
    let status = client.resolve(req).await.expect_err("refused");
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    status.message().to_string()
}

#[tokio::test]
async fn bad_requests_are_invalid_argument_with_a_reason() {
    let server = default_server().await;
    let mut client = server.client().await;
    assert!(invalid(&mut client, request("")).await.contains("empty"));
    assert!(invalid(&mut client, request(" \t\n ")).await.contains("empty"));
    let long = "a".repeat(canonym::aliases::MAX_NAME_CHARS + 1);
    assert!(invalid(&mut client, request(&long)).await.contains("over the limit of 1024"));
    let at_limit = "a".repeat(canonym::aliases::MAX_NAME_CHARS);
    assert!(client.resolve(request(&at_limit)).await.is_ok(), "1,024 characters is allowed");
    let message = invalid(&mut client, ResolveRequest { max_candidates: 101, ..request("Syria") }).await;
    assert!(message.contains("max_candidates") && message.contains("100"), "{message}");
    let message = invalid(&mut client, ResolveRequest { r#type: 99, ..request("Syria") }).await;
    assert!(message.contains("unknown entity type 99"), "{message}");
    for threshold in [1.5, -0.1, f64::NAN] {
        let message = invalid(&mut client, ResolveRequest { threshold: Some(threshold), ..request("Syria") }).await;
        assert!(message.contains("threshold"), "{message}");
    }
    assert!(invalid(&mut client, request("...")).await.contains("no letter or digit"));

    // A batch: over the limit, and an invalid item named by its index.
    let too_many = ResolveBatchRequest { requests: vec![request("a"); 10_001] };
    let status = client.resolve_batch(too_many).await.expect_err("batch over limit");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert!(status.message().contains("10000"), "{}", status.message());
    let with_bad_item = ResolveBatchRequest { requests: vec![request("Syria"), request("ISIS"), request("  ")] };
    let status = client.resolve_batch(with_bad_item).await.expect_err("batch with a bad item");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert!(status.message().starts_with("requests[2].name"), "{}", status.message());

    // A stream: answers before the bad item stand, then the stream ends with the error.
    let items = vec![request("Syria"), ResolveRequest { r#type: 42, ..request("ISIS") }, request("Hamas")];
    let mut stream = client.resolve_stream(tokio_stream::iter(items)).await.expect("stream opens").into_inner();
    let first = stream.next().await.expect("first item").expect("first item ok");
    assert_eq!(first.entity_id, "country:SY");
    let status = stream.next().await.expect("second item").expect_err("second item refused");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert!(status.message().starts_with("requests[1].type"), "{}", status.message());

    // Compare and GetEntity.
    let status = client
        .compare(CompareRequest { left: "Syria".into(), right: "".into(), ..Default::default() })
        .await
        .expect_err("empty right");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert!(status.message().starts_with("right:"), "{}", status.message());
    let status = client
        .compare(CompareRequest { left: "...".into(), right: "".into(), ..Default::default() })
        .await
        .expect_err("left with nothing to match");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert!(status.message().starts_with("left: name has no letter"), "{}", status.message());
    let status = client
        .compare(CompareRequest { left: "Syria".into(), right: "Syrie".into(), r#type: 7, ..Default::default() })
        .await
        .expect_err("bad type");
    assert_eq!(status.code(), Code::InvalidArgument);
    let status = client.get_entity(GetEntityRequest { entity_id: "".into() }).await.expect_err("empty id");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert_eq!(server.state.metrics().calls(Rpc::Resolve, Code::InvalidArgument), 9);
}

#[tokio::test]
async fn odd_bytes_never_break_the_server() {
    let server = default_server().await;
    let mut client = server.client().await;
    let odd = [
        "\u{0}",
        "\u{200b}\u{200d}",
        "\u{202e}evil",
        "a\u{0301}\u{0301}\u{0301}",
        "🏳️‍🌈",
        "\u{feff}ISIS",
        "ИГИЛ",
        "داعش",
        "\u{1}\u{2}\u{7f}",
        "ＩＳＩＳ",
        "ﷺ",
        "\u{10ffff}",
        "a b c d e f g h i j k l m n o p q r s t u v w x y z",
    ];
    for name in odd {
        match client.resolve(request(name)).await {
            Ok(_) => {}
            Err(status) => assert_eq!(status.code(), Code::InvalidArgument, "{name:?}: {status:?}"),
        }
    }
    let huge = "x".repeat(100_000);
    assert_eq!(client.resolve(request(&huge)).await.expect_err("huge").code(), Code::InvalidArgument);
    let alive = client.resolve(request("ISIS")).await.expect("still serving").into_inner();
    assert_eq!(alive.entity_id, "org:islamic-state");
}

#[tokio::test]
async fn get_entity_returns_all_names_or_not_found() {
    let server = default_server().await;
    let mut client = server.client().await;
    let entity = client
        .get_entity(GetEntityRequest { entity_id: "org:islamic-state".into() })
        .await
        .expect("found")
        .into_inner();
    assert_eq!(entity.entity_id, "org:islamic-state");
    assert_eq!(entity.r#type(), EntityType::Organization);
    assert_eq!(entity.table_version, builtin_matcher().table().version());
    let library = builtin_matcher()
        .table()
        .entities()
        .iter()
        .find(|e| e.id == "org:islamic-state")
        .cloned()
        .expect("in the table");
    assert_eq!(entity.canonical_name.as_ref().map(|n| n.text.as_str()), Some(library.name.text.as_str()));
    let aliases: Vec<&str> = entity.aliases.iter().map(|n| n.text.as_str()).collect();
    let expected: Vec<&str> = library.aliases.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(aliases, expected);
    assert!(aliases.contains(&"ISIS"));

    let status =
        client.get_entity(GetEntityRequest { entity_id: "org:no-such-thing".into() }).await.expect_err("absent");
    assert_eq!(status.code(), Code::NotFound);
    assert!(status.message().contains("org:no-such-thing"));
}

#[tokio::test]
async fn compare_agrees_with_the_library() {
    let server = default_server().await;
    let mut client = server.client().await;
    let matcher = builtin_matcher();
    for (left, right) in [("ISIL", "Islamic State of Iraq and the Levant"), ("Mohammad", "Muhammad"), ("Syria", "Iraq")]
    {
        let response = client
            .compare(CompareRequest {
                left: left.into(),
                right: right.into(),
                request_id: "x".into(),
                ..Default::default()
            })
            .await
            .expect("compare")
            .into_inner();
        let library = matcher.compare(left, right, None).expect("library compares");
        assert!((response.score - library.score).abs() < 1e-4, "{left} / {right}");
        assert_eq!(response.is_match, library.is_match, "{left} / {right}");
        assert_eq!(response.request_id, "x");
        assert_eq!(response.explanation.map(|e| e.query_words), Some(library.explanation.query_words));
    }
    let strict = client
        .compare(CompareRequest {
            left: "Mohammad".into(),
            right: "Muhammad".into(),
            threshold: Some(1.0),
            ..Default::default()
        })
        .await
        .expect("compare")
        .into_inner();
    assert_eq!(strict.is_match, strict.score >= 1.0);
}

#[tokio::test]
async fn health_reports_serving() {
    use tonic_health::pb::health_client::HealthClient;
    use tonic_health::pb::{health_check_response::ServingStatus, HealthCheckRequest};
    let server = default_server().await;
    let mut health = HealthClient::new(server.channel().await);
    for service in ["", "canonym.v1.Resolver"] {
        let response =
            health.check(HealthCheckRequest { service: service.into() }).await.expect("health check").into_inner();
        assert_eq!(response.status(), ServingStatus::Serving, "{service:?}");
    }
    let status = health.check(HealthCheckRequest { service: "no.such.Service".into() }).await.expect_err("unknown");
    assert_eq!(status.code(), Code::NotFound);
}

#[tokio::test]
async fn reflection_lists_the_public_services_only() {
    use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
    use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
    use tonic_reflection::pb::v1::server_reflection_response::MessageResponse;
    use tonic_reflection::pb::v1::ServerReflectionRequest;
    let server = default_server().await;
    let mut reflection = ServerReflectionClient::new(server.channel().await);
    let ask = |message| ServerReflectionRequest { host: String::new(), message_request: Some(message) };
    let requests = vec![
        ask(MessageRequest::ListServices(String::new())),
        ask(MessageRequest::FileContainingSymbol("canonym.v1.Resolver".into())),
    ];
    let mut responses =
        reflection.server_reflection_info(tokio_stream::iter(requests)).await.expect("reflection").into_inner();
    let listed = responses.next().await.expect("a list").expect("list ok");
    let Some(MessageResponse::ListServicesResponse(list)) = listed.message_response else {
        panic!("expected a service list, got {listed:?}");
    };
    let names: Vec<&str> = list.service.iter().map(|s| s.name.as_str()).collect();
    assert!(names.contains(&"canonym.v1.Resolver"), "{names:?}");
    assert!(names.contains(&"grpc.health.v1.Health"), "{names:?}");
    assert!(!names.iter().any(|n| n.contains("admin")), "{names:?}");
    let file = responses.next().await.expect("a file").expect("file ok");
    let Some(MessageResponse::FileDescriptorResponse(files)) = file.message_response else {
        panic!("expected descriptors, got {file:?}");
    };
    assert!(!files.file_descriptor_proto.is_empty());
}

#[tokio::test]
async fn a_stream_past_its_deadline_is_stopped() {
    let server = default_server().await;
    let mut client = server.client().await;
    let (sender, receiver) = tokio::sync::mpsc::channel(4);
    sender.send(request("Syria")).await.expect("send");
    let mut call = tonic::Request::new(tokio_stream::wrappers::ReceiverStream::new(receiver));
    call.set_timeout(Duration::from_millis(300));
    let mut stream = client.resolve_stream(call).await.expect("stream opens").into_inner();
    let first = stream.next().await.expect("an answer").expect("ok");
    assert_eq!(first.entity_id, "country:SY");
    // The client keeps the stream open but idle: the server ends it at the deadline.
    let ended = tokio::time::timeout(Duration::from_secs(10), stream.next()).await.expect("ended by the server");
    let status = ended.expect("a final status").expect_err("deadline");
    assert_eq!(status.code(), Code::DeadlineExceeded, "{status:?}");
    drop(sender);
}

#[tokio::test]
async fn a_batch_past_its_deadline_stops_working() {
    let server = default_server().await;
    let mut client = server.client().await;
    let names: Vec<ResolveRequest> = (0..10_000)
        .map(|i| ResolveRequest {
            explain: true,
            max_candidates: 20,
            ..request(&format!("Islamic Republic of Stat {i} Liberation Front"))
        })
        .collect();
    let total = names.len() as u64;
    let mut call = tonic::Request::new(ResolveBatchRequest { requests: names });
    call.set_timeout(Duration::from_millis(20));
    let status = client.resolve_batch(call).await.expect_err("deadline");
    assert!(matches!(status.code(), Code::Cancelled | Code::DeadlineExceeded), "{status:?}");
    // The worker stops at its next check: the count of names resolved stops growing
    // well short of the batch.
    let metrics = &server.state.metrics();
    let settled = eventually(Duration::from_secs(10), || async {
        let before = metrics.names_resolved();
        tokio::time::sleep(Duration::from_millis(200)).await;
        (metrics.names_resolved() == before).then_some(before)
    })
    .await
    .expect("the worker stops");
    assert!(settled < total, "resolved {settled} of {total} names after the deadline");
}

#[tokio::test]
async fn shutdown_drains_the_call_in_flight() {
    let mut server = default_server().await;
    let mut client = server.client().await;
    let (sender, receiver) = tokio::sync::mpsc::channel(4);
    sender.send(request("Syria")).await.expect("send");
    let mut stream =
        client.resolve_stream(tokio_stream::wrappers::ReceiverStream::new(receiver)).await.expect("opens").into_inner();
    assert_eq!(stream.next().await.expect("answer").expect("ok").entity_id, "country:SY");

    server.stop();
    // The server waits for the call in flight...
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!server.task.is_finished(), "the server must not exit with a call in flight");
    // ...which still gets answers, then ends cleanly.
    sender.send(request("ISIS")).await.expect("send after shutdown began");
    assert_eq!(stream.next().await.expect("answer").expect("ok").entity_id, "org:islamic-state");
    drop(sender);
    assert!(stream.next().await.is_none(), "the stream ends cleanly");
    let served = tokio::time::timeout(Duration::from_secs(10), &mut server.task).await.expect("server exits");
    served.expect("no panic").expect("clean exit");
    // And it no longer accepts calls.
    let refused = tonic::transport::Channel::from_shared(server.url()).expect("url").connect().await;
    assert!(refused.is_err(), "no new connections after shutdown");
}

#[tokio::test]
async fn metrics_endpoint_reports_calls_and_table() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let server = default_server().await;
    let mut client = server.client().await;
    client.resolve(request("ISIS")).await.expect("resolve");
    client.resolve(request("Congo")).await.expect("resolve");
    let _ = client.resolve(request("")).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let state = std::sync::Arc::clone(&server.state);
    let task = tokio::spawn(canonym::service::serve_metrics(listener, state, async move {
        let _ = stopped.await;
    }));
    let mut connection = tokio::net::TcpStream::connect(addr).await.expect("connect");
    connection.write_all(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n").await.expect("write");
    let mut page = String::new();
    connection.read_to_string(&mut page).await.expect("read");
    assert!(page.starts_with("HTTP/1.1 200 OK"), "{page}");
    assert!(page.contains("canonym_requests_total{method=\"Resolve\",code=\"OK\"} 2"), "{page}");
    assert!(page.contains("canonym_requests_total{method=\"Resolve\",code=\"INVALID_ARGUMENT\"} 1"), "{page}");
    assert!(page.contains("canonym_resolutions_total{outcome=\"ambiguous\"} 1"), "{page}");
    assert!(page.contains("canonym_request_duration_seconds_count{method=\"Resolve\"} 3"), "{page}");
    let entities = builtin_matcher().table().entities().len();
    assert!(page.contains(&format!("canonym_table_entities {entities}")), "{page}");
    assert!(page.contains(&format!("version=\"{}\"", builtin_matcher().table().version())), "{page}");
    let _ = stop.send(());
    task.await.expect("no panic").expect("metrics server exits");
}

#[test]
fn the_binary_serves_and_exits_zero_on_sigterm() {
    let process = server::ServeProcess::start(&[]);
    let started = &process.start_line;
    assert!(started.contains("table_version=") && started.contains("entities=") && started.contains("aliases="));
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let url = format!("http://{}", process.addr);
        let mut client = proto::resolver_client::ResolverClient::new(server::connect(&url).await);
        let answer = client.resolve(request("Syria")).await.expect("resolve").into_inner();
        assert_eq!(answer.entity_id, "country:SY");
    });
    assert!(process.terminate(), "canonym exits 0 on SIGTERM");
}
