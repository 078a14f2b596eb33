//! The fuzz targets, run on stable for a short budget on every test run: each target's body
//! (fuzz/fuzz_targets/bodies.rs, the same code `cargo fuzz run` drives) is fed the
//! project's own formulas, data and workbooks, then deterministic mutations of them
//! (flipped, inserted, deleted, repeated and spliced bytes). A panic fails the test; an
//! abort or runaway allocation kills it. Coverage-guided runs stay `cargo fuzz`'s job
//! (docs/reliability.md); this keeps every target exercised where CI has no nightly.

#[path = "../../fuzz/fuzz_targets/bodies.rs"]
mod bodies;

use crate::common::root;

/// A small xorshift generator: the same mutations on every run and machine.
struct Mutator(u64);

impl Mutator {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    /// One to four edits of `seed`, sometimes with a piece of `other`.
    fn mutate(&mut self, seed: &[u8], other: &[u8]) -> Vec<u8> {
        let mut bytes = seed.to_vec();
        for _ in 0..1 + self.below(4) {
            let at = self.below(bytes.len() + 1);
            match self.below(6) {
                0 if at < bytes.len() => bytes[at] ^= 1 << self.below(8),
                1 => {
                    // Bytes that matter to the formats: digits, separators, quotes, markup.
                    const INTERESTING: &[u8] = b"0123456789-.,;\"'=\n\r\t<>/#[]{}() eE\x00\xFF";
                    bytes.insert(at, INTERESTING[self.below(INTERESTING.len())]);
                }
                2 => {
                    let end = (at + 1 + self.below(16)).min(bytes.len());
                    bytes.drain(at.min(end)..end);
                }
                3 => {
                    let end = (at + 1 + self.below(32)).min(bytes.len());
                    let piece = bytes[at.min(end)..end].to_vec();
                    for _ in 0..1 + self.below(8) {
                        bytes.splice(at..at, piece.iter().copied());
                    }
                }
                4 if !other.is_empty() => {
                    let from = self.below(other.len());
                    let end = (from + 1 + self.below(64)).min(other.len());
                    bytes.splice(at..at, other[from..end].iter().copied());
                }
                _ => bytes.truncate(at),
            }
        }
        bytes
    }
}

fn seeds(paths: &[&str]) -> Vec<Vec<u8>> {
    paths.iter().map(|p| std::fs::read(root().join(p)).unwrap()).collect()
}

fn run(target: fn(&[u8]), seeds: &[Vec<u8>], rounds: usize, salt: u64) {
    let mut mutator = Mutator(0x9E37_79B9_7F4A_7C15 ^ salt);
    for seed in seeds {
        target(seed);
    }
    for _ in 0..rounds {
        let seed = &seeds[mutator.below(seeds.len())];
        let other = &seeds[mutator.below(seeds.len())];
        let input = mutator.mutate(seed, other);
        target(&input);
    }
}

#[test]
fn fuzz_formula() {
    let seeds = seeds(&[
        "formulas/demo.toml",
        "formulas/cn-equalization.toml",
        "formulas/jp-local-allocation-tax.toml",
        "formulas/au-gst.toml",
        "formulas/ca-equalization.toml",
        "formulas/in-finance-commission.toml",
    ]);
    run(bodies::formula, &seeds, 4000, 1);
}

#[test]
fn fuzz_csv() {
    let seeds = seeds(&["datasets/demo/counties.csv", "datasets/demo/population.csv"]);
    run(bodies::csv, &seeds, 4000, 2);
}

#[test]
fn fuzz_xlsx() {
    let seeds = seeds(&["datasets/demo/revenue.xlsx", "tests/fixtures/data/sheets.xlsx"]);
    run(bodies::xlsx, &seeds, 1500, 3);
}

#[test]
fn fuzz_workbook() {
    // Parts separated by 0xFF: a sheet, shared strings, a workbook, content types, an ODS
    // content part and an XLSB sheet part.
    let seeds = vec![
        b"<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\"><v>2</v></c></row><row r=\"2\"><c r=\"A2\"><v>990121</v></c><c r=\"B2\"><v>1.5</v></c></row></sheetData></worksheet>\xFF<sst count=\"1\" uniqueCount=\"1\"><si><t>county_code</t></si></sst>\xFF<workbook><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>\xFF<Types/>\xFF<office:document-content><table:table><table:table-row table:number-rows-repeated=\"3\"><table:table-cell office:value=\"1\"><text:p>1</text:p></table:table-cell></table:table-row></table:table></office:document-content>\xFF\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x05\x10\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xF0\x3F".to_vec(),
    ];
    run(bodies::workbook, &seeds, 3000, 4);
}
