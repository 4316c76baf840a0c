//! Hot reload end to end: a real server over real alias files in a temp dir, edited
//! while it serves.

#[path = "common/server.rs"]
mod server;

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use canonym::service::admin::proto::{ReloadOutcome, ReloadRequest, ReloadTrigger, StatusRequest, StatusResponse};
use canonym::service::proto::{Outcome, ResolveRequest};
use server::{eventually, save_like_an_editor, ReloadingServer};
use tonic::Code;

const EVENTUALLY: Duration = Duration::from_secs(10);

/// Two organisations; `extra` is appended to Alpha's aliases.
fn table(extra_alpha: &[&str], extra_beta: &[&str]) -> String {
    let list = |names: &[&str]| names.iter().map(|n| format!(", \"{n}\"")).collect::<String>();
    format!(
        "[[entity]]\nid = \"org:alpha\"\ntype = \"organization\"\nname = \"Alpha Widgets\"\naliases = [\"Alpha Co\"{}]\n\n\
         [[entity]]\nid = \"org:beta\"\ntype = \"organization\"\nname = \"Beta Gadgets\"\naliases = [\"Beta Co\"{}]\n",
        list(extra_alpha),
        list(extra_beta)
    )
}

fn temp_table(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("orgs.toml");
    std::fs::write(&file, text).expect("write the table");
    (dir, file)
}

async fn resolve(server: &ReloadingServer, name: &str) -> canonym::service::proto::ResolveResponse {
    let mut client = server.public.client().await;
    client.resolve(ResolveRequest { name: name.into(), ..Default::default() }).await.expect("resolve").into_inner()
}

async fn status(server: &ReloadingServer) -> StatusResponse {
    server.admin(None).await.status(StatusRequest {}).await.expect("status").into_inner()
}

/// Waits until the last reload attempt is `outcome` and a later one than `after_ms`.
async fn last_reload(server: &ReloadingServer, outcome: ReloadOutcome, after_ms: i64) -> StatusResponse {
    eventually(EVENTUALLY, || async {
        let status = status(server).await;
        let last = status.last_reload.as_ref()?;
        (last.outcome() == outcome && last.started_at_unix_ms >= after_ms).then_some(status)
    })
    .await
    .unwrap_or_else(|| panic!("no {outcome:?} reload"))
}

fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_millis() as i64
}

#[tokio::test]
async fn editing_a_file_adds_the_alias_and_a_new_version() {
    let (_dir, file) = temp_table(&table(&[], &[]));
    let server = ReloadingServer::start(vec![file.clone()], None, true).await;
    let before = resolve(&server, "Zeta Sprockets").await;
    assert_eq!(before.outcome(), Outcome::NoMatch);

    save_like_an_editor(&file, &table(&["Zeta Sprockets"], &[]));
    let after = eventually(EVENTUALLY, || async {
        let answer = resolve(&server, "Zeta Sprockets").await;
        (answer.outcome() == Outcome::Matched).then_some(answer)
    })
    .await
    .expect("the new alias resolves after the edit");
    assert_eq!(after.entity_id, "org:alpha");
    assert_ne!(after.table_version, before.table_version, "new content, new version");

    let status = status(&server).await;
    let last = status.last_reload.expect("a reload happened");
    assert_eq!(last.outcome(), ReloadOutcome::Swapped);
    assert_eq!(last.trigger(), ReloadTrigger::FileChange);
    assert_eq!(last.previous_version, before.table_version);
    assert_eq!(status.table_version, after.table_version);
    assert_eq!(status.reloads_swapped, 1, "one save, one reload");
    assert_eq!(status.entity_count, 2);
    assert_eq!(status.alias_count, 3);
}

#[tokio::test]
async fn the_same_content_is_the_same_version() {
    let text = table(&["Same Name"], &[]);
    let (_dir, file) = temp_table(&text);
    let server = ReloadingServer::start(vec![file.clone()], None, false).await;
    let version = resolve(&server, "Same Name").await.table_version;
    std::fs::write(&file, &text).expect("rewrite, same bytes");
    let mut admin = server.admin(None).await;
    let reloaded = admin.reload(ReloadRequest {}).await.expect("reload").into_inner();
    let attempt = reloaded.attempt.expect("attempt");
    assert_eq!(attempt.outcome(), ReloadOutcome::Unchanged);
    assert_eq!(attempt.table_version, version);
    assert_eq!(resolve(&server, "Same Name").await.table_version, version);
    let status = status(&server).await;
    assert_eq!((status.reloads_swapped, status.reloads_unchanged), (0, 1));
}

#[tokio::test]
async fn a_broken_file_leaves_the_old_table_serving_until_fixed() {
    let (dir, file) = temp_table(&table(&["Old Name"], &[]));
    let server = ReloadingServer::start(vec![dir.path().to_path_buf()], None, true).await;
    let good = resolve(&server, "Old Name").await;
    assert_eq!(good.entity_id, "org:alpha");

    // A syntax error on line 3.
    let started = now_ms();
    let broken = table(&["Old Name"], &[]).replacen("name = \"Alpha Widgets\"", "name = \"Alpha Widgets", 1);
    save_like_an_editor(&file, &broken);
    let status = last_reload(&server, ReloadOutcome::Failed, started).await;
    let errors = &status.last_reload.as_ref().expect("attempt").errors;
    assert!(!errors.is_empty());
    assert!(errors[0].file.ends_with("orgs.toml"), "{errors:?}");
    assert_eq!(errors[0].line, 4, "{errors:?}");
    let still = resolve(&server, "Old Name").await;
    assert_eq!((still.entity_id.as_str(), still.table_version.as_str()), ("org:alpha", good.table_version.as_str()));

    // Two entities claiming one name.
    let started = now_ms();
    save_like_an_editor(&file, &table(&["Old Name", "Contested"], &["Contested"]));
    let status = last_reload(&server, ReloadOutcome::Failed, started).await;
    let errors = &status.last_reload.as_ref().expect("attempt").errors;
    assert!(errors.iter().any(|e| e.message.contains("Contested") && e.line > 0), "{errors:?}");
    assert_eq!(status.table_version, good.table_version);
    assert_eq!(resolve(&server, "Old Name").await.table_version, good.table_version);
    assert!(status.reloads_failed >= 2);

    // Fixed: the new table serves.
    save_like_an_editor(&file, &table(&["Old Name"], &["Contested"]));
    let fixed = eventually(EVENTUALLY, || async {
        let answer = resolve(&server, "Contested").await;
        (answer.entity_id == "org:beta").then_some(answer)
    })
    .await
    .expect("the fixed table serves");
    assert_ne!(fixed.table_version, good.table_version);
}

#[tokio::test]
async fn a_table_whose_cases_fail_is_refused() {
    let (dir, file) = temp_table(&table(&["Pinned Name"], &[]));
    let cases = dir.path().join("orgs.cases.toml");
    std::fs::write(&cases, "[[case]]\nquery = \"Pinned Name\"\nexpect = \"org:alpha\"\n").expect("write cases");
    let server = ReloadingServer::start(vec![dir.path().to_path_buf()], None, false).await;
    let good = resolve(&server, "Pinned Name").await;
    assert_eq!(good.entity_id, "org:alpha");

    // Moving the pinned name to Beta breaks the case.
    std::fs::write(&file, table(&[], &["Pinned Name"])).expect("edit");
    let mut admin = server.admin(None).await;
    let attempt = admin.reload(ReloadRequest {}).await.expect("reload").into_inner().attempt.expect("attempt");
    assert_eq!(attempt.outcome(), ReloadOutcome::Failed);
    assert!(attempt.errors.iter().any(|e| e.file.ends_with("orgs.cases.toml") && e.line == 2), "{attempt:?}");
    assert_eq!(resolve(&server, "Pinned Name").await.entity_id, "org:alpha");
}

#[tokio::test]
async fn a_deleted_file_leaves_the_old_table_serving() {
    let (_dir, file) = temp_table(&table(&["Kept Name"], &[]));
    let server = ReloadingServer::start(vec![file.clone()], None, false).await;
    let version = resolve(&server, "Kept Name").await.table_version;
    std::fs::remove_file(&file).expect("delete");
    let mut admin = server.admin(None).await;
    let attempt = admin.reload(ReloadRequest {}).await.expect("reload").into_inner().attempt.expect("attempt");
    assert_eq!(attempt.outcome(), ReloadOutcome::Failed);
    assert!(attempt.errors.iter().any(|e| e.file.ends_with("orgs.toml")), "{attempt:?}");
    let still = resolve(&server, "Kept Name").await;
    assert_eq!((still.entity_id.as_str(), still.table_version.as_str()), ("org:alpha", version.as_str()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reloads_under_load_never_mix_tables_or_fail_calls() {
    let version_a = table(&["Gamma Name"], &[]);
    let version_b = table(&[], &["Gamma Name"]);
    let (_dir, file) = temp_table(&version_a);
    let server = Arc::new(ReloadingServer::start(vec![file.clone()], None, false).await);

    let stop = Arc::new(AtomicBool::new(false));
    let calls = Arc::new(AtomicU64::new(0));
    let caller = {
        let (server, stop, calls) = (Arc::clone(&server), Arc::clone(&stop), Arc::clone(&calls));
        tokio::spawn(async move {
            let mut client = server.public.client().await;
            let mut seen = Vec::new();
            let mut failures = 0_u64;
            while !stop.load(Ordering::Relaxed) {
                let request = ResolveRequest { name: "Gamma Name".into(), ..Default::default() };
                match client.resolve(request).await {
                    Ok(answer) => {
                        let answer = answer.into_inner();
                        seen.push((answer.table_version, answer.entity_id));
                    }
                    Err(_) => failures += 1,
                }
                calls.fetch_add(1, Ordering::Relaxed);
            }
            (seen, failures)
        })
    };

    let mut admin = server.admin(None).await;
    let mut entity_of_version = std::collections::HashMap::new();
    entity_of_version.insert(resolve(&server, "Gamma Name").await.table_version, "org:alpha".to_string());
    for round in 0..20 {
        let (text, entity) = if round % 2 == 0 { (&version_b, "org:beta") } else { (&version_a, "org:alpha") };
        std::fs::write(&file, text).expect("write");
        let attempt = admin.reload(ReloadRequest {}).await.expect("reload").into_inner().attempt.expect("attempt");
        assert_eq!(attempt.outcome(), ReloadOutcome::Swapped, "round {round}");
        entity_of_version.insert(attempt.table_version, entity.to_string());
        // Let the caller answer from this version before the next swap.
        let at = calls.load(Ordering::Relaxed);
        eventually(EVENTUALLY, || async { (calls.load(Ordering::Relaxed) >= at + 5).then_some(()) })
            .await
            .expect("the caller keeps calling");
    }
    stop.store(true, Ordering::Relaxed);
    let (seen, failures) = caller.await.expect("caller");
    assert_eq!(failures, 0, "no call fails during reloads");
    assert_eq!(entity_of_version.len(), 2, "two contents, two versions");
    for (version, entity) in &seen {
        assert_eq!(Some(entity), entity_of_version.get(version), "answer consistent with version {version}");
    }
    let versions_seen: std::collections::HashSet<&String> = seen.iter().map(|(v, _)| v).collect();
    assert_eq!(versions_seen.len(), 2);
    assert_eq!(status(&server).await.reloads_swapped, 20);
}

#[tokio::test]
async fn admin_needs_the_token_and_is_not_on_the_public_port() {
    let (_dir, file) = temp_table(&table(&[], &[]));
    let server = ReloadingServer::start(vec![file], Some("s3cret-token"), false).await;
    let status = server.admin(None).await.status(StatusRequest {}).await.expect_err("no token");
    assert_eq!(status.code(), Code::Unauthenticated);
    let status = server.admin(Some("wrong")).await.reload(ReloadRequest {}).await.expect_err("wrong token");
    assert_eq!(status.code(), Code::Unauthenticated);
    let status = server.admin(Some("s3cret-token-")).await.status(StatusRequest {}).await.expect_err("longer token");
    assert_eq!(status.code(), Code::Unauthenticated);
    let ok = server.admin(Some("s3cret-token")).await.status(StatusRequest {}).await.expect("right token");
    assert_eq!(ok.into_inner().entity_count, 2);

    let public = server::connect(&server.public.url()).await;
    let mut on_public = canonym::service::admin::proto::admin_client::AdminClient::new(public);
    let status = on_public.status(StatusRequest {}).await.expect_err("no admin on the public port");
    assert_eq!(status.code(), Code::Unimplemented);
}

#[test]
fn the_binary_reloads_on_sighup() {
    let (_dir, file) = temp_table(&table(&[], &[]));
    let mut process = server::ServeProcess::start(&["--no-watch".as_ref(), "--aliases".as_ref(), file.as_os_str()]);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let addr = process.addr.clone();
    let ask = |name: &str| {
        runtime.block_on(async {
            let channel = server::connect(&format!("http://{addr}")).await;
            let mut client = canonym::service::proto::resolver_client::ResolverClient::new(channel);
            client
                .resolve(ResolveRequest { name: name.into(), ..Default::default() })
                .await
                .expect("resolve")
                .into_inner()
        })
    };
    assert_eq!(ask("Hup Name").outcome(), Outcome::NoMatch);
    write_and_hup(&file, &table(&["Hup Name"], &[]), process.child.id());
    let reloaded = server::wait_for_line(&mut process.lines, "table reloaded");
    assert!(reloaded.contains("trigger=\"signal\"") || reloaded.contains("trigger=signal"), "{reloaded}");
    assert_eq!(ask("Hup Name").entity_id, "org:alpha");
    assert!(process.terminate(), "canonym exits 0 on SIGTERM");
}

fn write_and_hup(file: &Path, text: &str, pid: u32) {
    std::fs::write(file, text).expect("write");
    let hup = std::process::Command::new("kill").args(["-HUP", &pid.to_string()]).status().expect("kill -HUP");
    assert!(hup.success());
}
