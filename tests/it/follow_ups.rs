//! Follow-up chains (꼬리 질문): `kb add --after`, the chain in `kb show`, and links kept valid
//! by merge, rm and `kb check`.

use crate::common::*;

fn show(sb: &Sandbox, kb: &std::path::Path, id: &str) -> serde_json::Value {
    json(&sb.kb(kb).args(["--json", "show", id]).assert().success())
}

#[test]
fn a_follow_up_chain_is_shown_and_survives_merge_and_rm() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    let tcp = sb.add(&kb, &["TCP와 UDP의 차이는?", "-a", "연결형과 비연결형."]);
    let flow = sb.add(&kb, &["TCP의 흐름 제어는 어떻게 하나요?", "--after", &tcp]);
    let window = sb.add(
        &kb,
        &["슬라이딩 윈도우 크기는 어떻게 정하나요?", "--after", &flow],
    );
    assert_eq!(show(&sb, &kb, &flow)["follow_up_of"], tcp.as_str());
    assert_eq!(
        show(&sb, &kb, &tcp)["follow_ups"],
        serde_json::json!([flow])
    );
    let text = stdout(&sb.kb(&kb).args(["show", &window]).assert().success());
    let tcp_at = text
        .find("TCP와 UDP의 차이는?")
        .expect("the grandparent is shown");
    let flow_at = text.find("TCP의 흐름 제어는").expect("the parent is shown");
    let own = text.find("슬라이딩 윈도우 크기는").unwrap();
    assert!(
        tcp_at < flow_at && flow_at < own,
        "the chain in order:\n{text}"
    );
    // An unknown parent is refused, and nothing is added.
    let commits = commit_count(&kb);
    sb.kb(&kb)
        .args(["add", "고아 질문?", "--after", "q-nothere"])
        .assert()
        .failure();
    assert_eq!(commit_count(&kb), commits);

    // A second wording of the flow-control question, merged into the first by kb merge: its
    // follow-up moves to the question kept.
    let again = sb.add(&kb, &["흐름 제어 설명해 주세요", "--no-dedupe"]);
    let child = sb.add(&kb, &["수신 버퍼가 가득 차면?", "--after", &again]);
    sb.kb(&kb).args(["merge", &flow, &again]).assert().success();
    assert_eq!(show(&sb, &kb, &child)["follow_up_of"], flow.as_str());
    sb.kb(&kb).args(["check"]).assert().success();

    // Removing the middle of the chain: its follow-up now follows what it followed.
    sb.kb(&kb).args(["rm", &flow]).assert().success();
    assert_eq!(show(&sb, &kb, &window)["follow_up_of"], tcp.as_str());
    assert_eq!(show(&sb, &kb, &child)["follow_up_of"], tcp.as_str());
    sb.kb(&kb).args(["check"]).assert().success();

    // A link broken by hand is what kb check reports.
    let path = kb.join(format!("questions/{window}.yaml"));
    let yaml = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        yaml.replace(&format!("follow_up_of: {tcp}"), "follow_up_of: q-gone123"),
    )
    .unwrap();
    let checked = sb.kb(&kb).args(["check"]).assert().failure();
    assert!(
        stdout(&checked).contains("follow_up_of: q-gone123")
            || stderr(&checked).contains("follow_up_of: q-gone123"),
        "{}{}",
        stdout(&checked),
        stderr(&checked)
    );
}

/// A notes file that lists follow-ups indented under their question comes in with the links.
#[test]
fn an_imported_indented_follow_up_is_linked_to_its_question() {
    let sb = Sandbox::new();
    let kb = sb.init("bank");
    let notes = sb.path().join("notes");
    std::fs::create_dir_all(&notes).unwrap();
    std::fs::write(
        notes.join("network.md"),
        "# 네트워크 면접 질문\n\n## TCP\n- TCP와 UDP의 차이는?\n  - 그럼 UDP는 언제 쓰나요?\n- 3-way handshake를 설명해 주세요.\n",
    )
    .unwrap();
    sb.kb(&kb).args(["import"]).arg(&notes).assert().success();
    let listed = json(&sb.kb(&kb).args(["--json", "list"]).assert().success());
    let id_of = |text: &str| {
        listed
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["question"].as_str().unwrap().contains(text))
            .unwrap_or_else(|| panic!("{text} not imported: {listed}"))["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (parent, child, other) = (
        id_of("TCP와 UDP의 차이는?"),
        id_of("UDP는 언제"),
        id_of("3-way"),
    );
    assert_eq!(show(&sb, &kb, &child)["follow_up_of"], parent.as_str());
    assert_eq!(
        show(&sb, &kb, &parent)["follow_ups"],
        serde_json::json!([child])
    );
    assert_eq!(
        show(&sb, &kb, &other)["follow_up_of"],
        serde_json::Value::Null
    );
}
