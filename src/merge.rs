//! Merging two versions of a question: one function for `kb merge` (fold a duplicate into the
//! question that stays) and, with a common base, for reconciling two machines' edits in
//! `kb sync`. No terminal, no files: plain data in, plain data out, deterministic.
//!
//! The rule throughout: nothing either side held is lost. What cannot be combined into one field
//! (two wordings, two projects, two different values of a hand-added field) keeps the question's
//! own value and records the other one under `merged:`; two different answers are both kept,
//! one after the other, for the user to edit down.

use jiff::Timestamp;
use serde_yaml::{Mapping, Value};

use crate::model::{Asked, Question, normalise_tags};

/// The tag put on a question whose two versions changed the same thing differently, so the user
/// can find and tidy it (`kb list --tag conflict`).
pub const CONFLICT_TAG: &str = "conflict";

/// The line that separates answers kept side by side.
fn separator(from: &str) -> String {
    format!("\n\n---\n\n<!-- kb: the answer below comes from {from}; edit the two into one -->\n\n")
}

/// Two answers as one: the same (or one empty, or one containing the other) gives one; otherwise
/// both, separated.
fn combine_answers(first: &str, second: &str, second_from: &str) -> String {
    let (a, b) = (first.trim(), second.trim());
    if b.is_empty() || a.contains(b) {
        return first.to_string();
    }
    if a.is_empty() || b.contains(a) {
        return second.to_string();
    }
    crate::yaml::normalise_block(&format!("{a}{}{b}", separator(second_from)))
}

fn asked_key(a: &Asked) -> Mapping {
    a.to_mapping()
}

fn union_asked(into: &mut Vec<Asked>, from: &[Asked]) {
    for a in from {
        if !into.iter().any(|x| asked_key(x) == asked_key(a)) {
            into.push(a.clone());
        }
    }
}

fn union_sorted(into: &mut Vec<String>, from: &[String]) {
    into.extend(from.iter().cloned());
    into.sort();
    into.dedup();
}

fn union_records(into: &mut Vec<Mapping>, from: &[Mapping]) {
    for r in from {
        if !into.contains(r) {
            into.push(r.clone());
        }
    }
}

/// Whether two versions hold the same content (`updated` aside).
pub fn same_content(a: &Question, b: &Question) -> bool {
    let mut b = b.clone();
    b.updated = a.updated;
    *a == b
}

/// Fold `other` into `keep` (`kb merge KEEP OTHER`). With `wording_from_other`, the question's
/// text is taken from `other` and `keep`'s is recorded instead. `now` becomes `updated` when
/// anything changed. Folding a question into itself returns it unchanged.
pub fn fold(
    keep: &Question,
    other: &Question,
    wording_from_other: bool,
    now: Timestamp,
) -> Question {
    if keep.id == other.id && same_content(keep, other) {
        return keep.clone();
    }
    let mut q = keep.clone();
    // What each side held that the result could not take as its own, by whose it was.
    let mut record = Mapping::new();
    let mut keep_record = Mapping::new();
    let put = |record: &mut Mapping, key: &str, value: Value| {
        record.insert(Value::String(key.to_string()), value);
    };

    if wording_from_other && other.question != keep.question {
        q.question = other.question.clone();
        put(
            &mut keep_record,
            "question",
            Value::String(keep.question.clone()),
        );
    } else if other.question != keep.question {
        put(
            &mut record,
            "question",
            Value::String(other.question.clone()),
        );
    }
    let from = if other.id == keep.id {
        "the other version".to_string()
    } else {
        other.id.clone()
    };
    q.answer = combine_answers(&keep.answer, &other.answer, &from);

    for (key, mine, theirs) in [
        ("project", &mut q.project, &other.project),
        ("template", &mut q.template, &other.template),
        ("follow_up_of", &mut q.follow_up_of, &other.follow_up_of),
        ("imported_from", &mut q.imported_from, &other.imported_from),
        ("resume", &mut q.resume, &other.resume),
    ] {
        match (mine.as_ref(), theirs) {
            (None, Some(t)) => *mine = Some(t.clone()),
            (Some(m), Some(t)) if m != t => put(&mut record, key, Value::String(t.clone())),
            _ => {}
        }
    }
    union_sorted(&mut q.tags, &other.tags);
    normalise_tags(&mut q.tags);
    union_asked(&mut q.asked, &other.asked);

    let mut other_extra = Mapping::new();
    for (k, v) in &other.extra {
        match q.extra.get(k) {
            None => {
                q.extra.insert(k.clone(), v.clone());
            }
            Some(mine) if mine != v => {
                other_extra.insert(k.clone(), v.clone());
            }
            _ => {}
        }
    }
    if !other_extra.is_empty() {
        put(&mut record, "extra", Value::Mapping(other_extra));
    }

    let mut aliases = q.aliases.clone();
    union_sorted(&mut aliases, &other.aliases);
    if other.id != keep.id {
        union_sorted(&mut aliases, std::slice::from_ref(&other.id));
    }
    aliases.retain(|a| *a != q.id);
    q.aliases = aliases;
    union_records(&mut q.merged, &other.merged);
    for (owner, record) in [(&keep.id, keep_record), (&other.id, record)] {
        if !record.is_empty() {
            let mut full = Mapping::new();
            full.insert(Value::String("id".into()), Value::String(owner.clone()));
            full.extend(record);
            union_records(&mut q.merged, &[full]);
        }
    }
    q.created = match (keep.created, other.created) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    q.updated = Some(now);
    q
}

/// The outcome of a three-way merge.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    /// The merged question, or `None` when it ends up deleted.
    pub question: Option<Question>,
    /// Both sides changed the same field differently; the question is tagged [`CONFLICT_TAG`].
    pub conflict: bool,
}

/// Merge two versions of one question (`ours`, `theirs`; `None` = deleted or never added) that
/// descend from `base` (`None` when both added it).
///
/// - a field changed on one side takes that side's value; changed on both, the same → that;
///   changed differently → ours, with theirs recorded under `merged:` (answers: both kept);
/// - tags and `asked` occurrences: additions from either side are kept, a removal on one side
///   stands if the other side left it alone;
/// - edit vs delete: the edited version survives; delete vs untouched: deleted;
/// - both added: folded into one (the same question added twice is kept once).
pub fn merge3(
    base: Option<&Question>,
    ours: Option<&Question>,
    theirs: Option<&Question>,
    now: Timestamp,
) -> Merged {
    let keep = |q: Option<&Question>| Merged {
        question: q.cloned(),
        conflict: false,
    };
    match (base, ours, theirs) {
        (_, None, None) => Merged {
            question: None,
            conflict: false,
        },
        (None, Some(o), None) => keep(Some(o)),
        (None, None, Some(t)) => keep(Some(t)),
        (Some(b), Some(o), None) => keep(if same_content(o, b) { None } else { Some(o) }),
        (Some(b), None, Some(t)) => keep(if same_content(t, b) { None } else { Some(t) }),
        (None, Some(o), Some(t)) => {
            if same_content(o, t) {
                return keep(Some(o));
            }
            let conflict = !o.answer.trim().is_empty()
                && !t.answer.trim().is_empty()
                && combine_answers(&o.answer, &t.answer, "x") != o.answer
                && combine_answers(&o.answer, &t.answer, "x") != t.answer;
            let mut q = fold(o, t, false, now);
            if conflict {
                q.tags.push(CONFLICT_TAG.into());
                normalise_tags(&mut q.tags);
            }
            Merged {
                question: Some(q),
                conflict,
            }
        }
        (Some(b), Some(o), Some(t)) => three_way(b, o, t, now),
    }
}

fn pick<T: PartialEq + Clone>(b: &T, o: &T, t: &T) -> Result<T, (T, T)> {
    if o == t || t == b {
        Ok(o.clone())
    } else if o == b {
        Ok(t.clone())
    } else {
        Err((o.clone(), t.clone()))
    }
}

/// A set merged three ways: what either side added is kept; a removal on one side stands.
fn set3(b: &[String], o: &[String], t: &[String]) -> Vec<String> {
    let mut all: Vec<String> = o.iter().chain(t).cloned().collect();
    all.sort();
    all.dedup();
    all.retain(|x| !(b.contains(x) && (!o.contains(x) || !t.contains(x))));
    all
}

fn three_way(b: &Question, o: &Question, t: &Question, now: Timestamp) -> Merged {
    if same_content(o, t) {
        return Merged {
            question: Some(o.clone()),
            conflict: false,
        };
    }
    if same_content(o, b) {
        return Merged {
            question: Some(t.clone()),
            conflict: false,
        };
    }
    if same_content(t, b) {
        return Merged {
            question: Some(o.clone()),
            conflict: false,
        };
    }
    let mut q = o.clone();
    let mut record = Mapping::new();
    let mut conflict = false;
    let note = |record: &mut Mapping, key: &str, value: Value| {
        record.insert(Value::String(key.into()), value);
    };

    match pick(&b.question, &o.question, &t.question) {
        Ok(v) => q.question = v,
        Err((_, theirs)) => {
            note(&mut record, "question", Value::String(theirs));
            conflict = true;
        }
    }
    match pick(&b.answer, &o.answer, &t.answer) {
        Ok(v) => q.answer = v,
        Err((ours, theirs)) => {
            q.answer = combine_answers(&ours, &theirs, "the other machine's version");
            conflict |= q.answer != ours && q.answer != theirs;
        }
    }
    for (key, field_b, field_o, field_t, out) in [
        (
            "project",
            &b.project,
            &o.project,
            &t.project,
            &mut q.project,
        ),
        (
            "template",
            &b.template,
            &o.template,
            &t.template,
            &mut q.template,
        ),
        (
            "follow_up_of",
            &b.follow_up_of,
            &o.follow_up_of,
            &t.follow_up_of,
            &mut q.follow_up_of,
        ),
        (
            "imported_from",
            &b.imported_from,
            &o.imported_from,
            &t.imported_from,
            &mut q.imported_from,
        ),
        ("resume", &b.resume, &o.resume, &t.resume, &mut q.resume),
    ] {
        match pick(field_b, field_o, field_t) {
            Ok(v) => *out = v,
            // Set on one side, removed on the other: the value survives.
            Err((None, theirs)) => *out = theirs,
            Err((Some(_), None)) => {}
            Err((Some(_), Some(theirs))) => {
                note(&mut record, key, Value::String(theirs));
                conflict = true;
            }
        }
    }

    q.tags = set3(&b.tags, &o.tags, &t.tags);
    let keys = |v: &[Asked]| v.iter().map(asked_key).collect::<Vec<_>>();
    let (kb_, ko, kt) = (keys(&b.asked), keys(&o.asked), keys(&t.asked));
    let mut asked: Vec<Asked> = Vec::new();
    for (a, k) in o.asked.iter().zip(&ko).chain(t.asked.iter().zip(&kt)) {
        let removed = kb_.contains(k) && (!ko.contains(k) || !kt.contains(k));
        if !removed && !asked.iter().any(|x| asked_key(x) == *k) {
            asked.push(a.clone());
        }
    }
    q.asked = asked;
    union_sorted(&mut q.aliases, &t.aliases);
    union_records(&mut q.merged, &t.merged);

    let mut keys: Vec<Value> = o
        .extra
        .keys()
        .chain(t.extra.keys())
        .chain(b.extra.keys())
        .cloned()
        .collect();
    keys.dedup();
    let mut extra = Mapping::new();
    let mut their_extra = Mapping::new();
    let mut seen = Vec::new();
    for k in keys {
        if seen.contains(&k) {
            continue;
        }
        seen.push(k.clone());
        let (vb, vo, vt) = (
            b.extra.get(&k).cloned(),
            o.extra.get(&k).cloned(),
            t.extra.get(&k).cloned(),
        );
        match pick(&vb, &vo, &vt) {
            Ok(Some(v)) => {
                extra.insert(k, v);
            }
            Ok(None) => {}
            Err((Some(v), None)) | Err((None, Some(v))) => {
                extra.insert(k, v);
            }
            Err((Some(ours), Some(theirs))) => {
                extra.insert(k.clone(), ours);
                their_extra.insert(k, theirs);
                conflict = true;
            }
            Err((None, None)) => {}
        }
    }
    q.extra = extra;
    if !their_extra.is_empty() {
        note(&mut record, "extra", Value::Mapping(their_extra));
    }
    if !record.is_empty() {
        let mut full = Mapping::new();
        full.insert(Value::String("id".into()), Value::String(t.id.clone()));
        full.insert(
            Value::String("note".into()),
            Value::String("the other machine's version".into()),
        );
        full.extend(record);
        union_records(&mut q.merged, &[full]);
    }
    if conflict {
        q.tags.push(CONFLICT_TAG.into());
        normalise_tags(&mut q.tags);
    }
    q.created = [b.created, o.created, t.created]
        .into_iter()
        .flatten()
        .min();
    q.updated = Some(
        now.max(o.updated.unwrap_or(now))
            .max(t.updated.unwrap_or(now)),
    );
    Merged {
        question: Some(q),
        conflict,
    }
}

/// Merge two versions of an interview record: fields changed on one side win; changed on both,
/// ours wins and theirs is appended to the notes; notes changed on both are both kept.
pub fn merge3_interview(
    base: Option<&crate::interview::Interview>,
    ours: &crate::interview::Interview,
    theirs: &crate::interview::Interview,
) -> crate::interview::Interview {
    let Some(b) = base else {
        let mut m = ours.clone();
        m.notes = combine_answers(&ours.notes, &theirs.notes, "the other version");
        for (k, v) in &theirs.extra {
            m.extra.entry(k.clone()).or_insert_with(|| v.clone());
        }
        return m;
    };
    let mut m = ours.clone();
    let mut lost = Vec::new();
    macro_rules! field {
        ($f:ident) => {
            match pick(&b.$f, &ours.$f, &theirs.$f) {
                Ok(v) => m.$f = v,
                Err((_, t)) => lost.push(format!("{}: {:?}", stringify!($f), t)),
            }
        };
    }
    field!(company);
    field!(round);
    field!(date);
    field!(position);
    field!(outcome);
    field!(project);
    match pick(&b.notes, &ours.notes, &theirs.notes) {
        Ok(v) => m.notes = v,
        Err((o, t)) => m.notes = combine_answers(&o, &t, "the other machine's version"),
    }
    for (k, v) in &theirs.extra {
        if b.extra.get(k) != Some(v) && ours.extra.get(k) == b.extra.get(k) {
            m.extra.insert(k.clone(), v.clone());
        }
    }
    if !lost.is_empty() {
        let note = format!("(kb sync: the other machine had {})", lost.join(", "));
        m.notes = crate::yaml::normalise_block(&format!("{}\n\n{note}", m.notes.trim_end()));
    }
    m.updated = [ours.updated, theirs.updated].into_iter().flatten().max();
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(id: &str, text: &str, answer: &str, tags: &[&str]) -> Question {
        let mut q = Question::new(id.into(), text);
        q.answer = crate::yaml::normalise_block(answer);
        q.tags = tags.iter().map(|t| t.to_string()).collect();
        q.created = "2026-01-01T00:00:00Z".parse().ok();
        q.updated = q.created;
        q
    }

    fn now() -> Timestamp {
        "2026-11-28T00:00:00Z".parse().unwrap()
    }

    #[test]
    fn fold_keeps_both_answers_and_records_the_other_wording() {
        let a = q(
            "a",
            "TCP와 UDP의 차이는?",
            "연결 지향 vs 비연결",
            &["network"],
        );
        let mut b = q("b", "TCP랑 UDP 차이", "신뢰성 차이", &["tcp"]);
        b.project = Some("p".into());
        let m = fold(&a, &b, false, now());
        assert_eq!(m.question, a.question);
        assert!(m.answer.contains("연결 지향 vs 비연결") && m.answer.contains("신뢰성 차이"));
        assert_eq!(m.tags, vec!["network", "tcp"]);
        assert_eq!(m.aliases, vec!["b"]);
        assert_eq!(m.project.as_deref(), Some("p"));
        assert_eq!(
            m.merged[0].get("question").and_then(|v| v.as_str()),
            Some("TCP랑 UDP 차이")
        );
        assert_eq!(fold(&a, &a, false, now()), a, "merge(a, a) = a");
    }

    #[test]
    fn three_way_takes_each_sides_change_and_flags_real_conflicts() {
        let base = q("x", "질문", "답", &["a", "b"]);
        let mut ours = base.clone();
        ours.tags = vec!["a".into(), "b".into(), "c".into()];
        let mut theirs = base.clone();
        theirs.tags = vec!["a".into()];
        theirs.project = Some("p".into());
        let m = merge3(Some(&base), Some(&ours), Some(&theirs), now());
        assert!(!m.conflict);
        let r = m.question.unwrap();
        assert_eq!(
            r.tags,
            vec!["a", "c"],
            "b removed by theirs, c added by ours"
        );
        assert_eq!(r.project.as_deref(), Some("p"));

        let mut ours = base.clone();
        ours.answer = "우리 답\n".into();
        let mut theirs = base.clone();
        theirs.answer = "저쪽 답\n".into();
        let m = merge3(Some(&base), Some(&ours), Some(&theirs), now());
        assert!(m.conflict);
        let r = m.question.unwrap();
        assert!(r.answer.contains("우리 답") && r.answer.contains("저쪽 답"));
        assert!(r.tags.contains(&CONFLICT_TAG.to_string()));
    }

    #[test]
    fn edit_beats_delete_and_untouched_deletes() {
        let base = q("x", "질문", "답", &[]);
        let mut edited = base.clone();
        edited.answer = "더 나은 답\n".into();
        assert_eq!(
            merge3(Some(&base), Some(&edited), None, now()).question,
            Some(edited.clone())
        );
        assert_eq!(
            merge3(Some(&base), None, Some(&edited), now()).question,
            Some(edited)
        );
        assert_eq!(merge3(Some(&base), Some(&base), None, now()).question, None);
    }
}
