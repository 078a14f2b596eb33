//! Workbook structure: the fuzz input is split into XML parts, zipped under the names that
//! size a reader's allocations (sheet, shared strings, ODS content, workbook), and loaded
//! as the demo formula's data. The structure limits must refuse what the reader cannot
//! hold; any outcome but a panic, an abort or runaway memory is fine.
#![no_main]

use std::io::Write;

#[path = "load.rs"]
mod load;

const PARTS: [&str; 5] = [
    "xl/worksheets/sheet1.xml",
    "xl/sharedStrings.xml",
    "xl/workbook.xml",
    "[Content_Types].xml",
    "content.xml",
];

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    let mut zipped = std::io::Cursor::new(Vec::new());
    {
        let mut writer = zip::ZipWriter::new(&mut zipped);
        let options = zip::write::SimpleFileOptions::default();
        // Parts are separated by 0xFF, which never occurs in UTF-8 text.
        for (name, part) in PARTS.iter().zip(bytes.split(|b| *b == 0xFF)) {
            if writer.start_file(*name, options).is_err() || writer.write_all(part).is_err() {
                return;
            }
        }
        if writer.finish().is_err() {
            return;
        }
    }
    let zipped = zipped.into_inner();
    let _ = equalize::data::workbook_limits::check("fuzz.xlsx", &zipped);
    load::demo_data("fuzz.xlsx", &zipped);
    load::demo_data("fuzz.ods", &zipped);
});
