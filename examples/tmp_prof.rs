fn main() {
    let dir = std::env::args().nth(1).unwrap();
    let kb = kb::Kb::open(std::path::Path::new(&dir)).unwrap();
    let t = std::time::Instant::now();
    let qs = kb.load_all().unwrap().questions;
    eprintln!("load {:?}", t.elapsed());
    let t = std::time::Instant::now();
    let prints: Vec<_> = qs.iter().map(|q| kb::similar::print(&q.question)).collect();
    eprintln!("print {:?}", t.elapsed());
    let t = std::time::Instant::now();
    let pairs = kb::similar::duplicates_of(&qs, &prints, &Default::default(), 0.6, 50);
    eprintln!("join {:?} {}", t.elapsed(), pairs.len());
}
