//! Show how kb reads questions for comparison: the tokens of each text, and, for two texts,
//! their scores (a tool for looking at a pair, not used by kb itself).
//!
//! cargo run --example similar_print -- "추론최적화 어떻게 하셨어요?" "추론 최적화는 어떻게 진행했나요?"

fn main() {
    let texts: Vec<String> = std::env::args().skip(1).collect();
    for t in &texts {
        let p = kb::analysis::similar::print(t);
        println!("{t}\n  tokens {:?}", p.tokens);
        for part in &p.parts {
            println!("  part   {part:?}");
        }
    }
    if let [a, b] = texts.as_slice() {
        let w = kb::analysis::similar::background_weights();
        let (pa, pb) = (
            kb::analysis::similar::print(a),
            kb::analysis::similar::print(b),
        );
        let m = kb::analysis::similar::incoming(&pa, &pb, &w);
        println!("incoming {:.3}  {}", m.score, m.why());
        let m = kb::analysis::similar::same(&pa, &pb, &w);
        println!("same     {:.3}  {}", m.score, m.why());
    }
}
