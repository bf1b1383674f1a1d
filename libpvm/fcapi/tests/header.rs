//! `fpvm3.h` against the library's own constants: every parameter the header
//! defines has the value libpvm (and so the C header) gives the same thing, and every
//! error code is one libpvm knows under that name.

use std::collections::BTreeMap;

use pvm::constants as k;
use pvm::PvmError;

/// `NAME -> value` of every `parameter (NAME = value)` line.
fn parameters() -> BTreeMap<String, i32> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/include/fpvm3.h");
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = BTreeMap::new();
    for line in text.lines().filter(|l| !l.starts_with('!')) {
        let Some(rest) = line.trim().strip_prefix("parameter (") else {
            continue;
        };
        let (name, value) = rest.trim_end_matches(')').split_once('=').unwrap();
        let value: i32 = value.trim().parse().unwrap();
        let name = name.trim().to_ascii_uppercase();
        assert!(out.insert(name.clone(), value).is_none(), "{name} twice");
    }
    out
}

#[test]
fn constants_match_the_library() {
    let p = parameters();
    let expected: &[(&str, i32)] = &[
        ("PVMTASKDEFAULT", k::PvmTaskDefault),
        ("PVMTASKHOST", k::PvmTaskHost),
        ("PVMTASKARCH", k::PvmTaskArch),
        ("PVMTASKDEBUG", k::PvmTaskDebug),
        ("PVMTASKTRACE", k::PvmTaskTrace),
        ("PVMMPPFRONT", k::PvmMppFront),
        ("PVMHOSTCOMPL", k::PvmHostCompl),
        ("PVMNOSPAWNPARENT", k::PvmNoSpawnParent),
        ("PVMHOST", k::PvmTaskHost),
        ("PVMARCH", k::PvmTaskArch),
        ("PVMDEBUG", k::PvmTaskDebug),
        ("PVMTRACE", k::PvmTaskTrace),
        ("PVMDATADEFAULT", k::PvmDataDefault),
        ("PVMDATARAW", k::PvmDataRaw),
        ("PVMDATAINPLACE", k::PvmDataInPlace),
        ("PVMDATATRACE", k::PvmDataTrace),
        ("PVMDEFAULT", k::PvmDataDefault),
        ("PVMRAW", k::PvmDataRaw),
        ("PVMINPLACE", k::PvmDataInPlace),
        ("PVMTASKEXIT", k::PvmTaskExit),
        ("PVMHOSTDELETE", k::PvmHostDelete),
        ("PVMHOSTADD", k::PvmHostAdd),
        ("PVMROUTEADD", k::PvmRouteAdd),
        ("PVMROUTEDELETE", k::PvmRouteDelete),
        ("PVMNOTIFYCANCEL", k::PvmNotifyCancel),
        ("STRING", k::PVM_STR),
        ("BYTE1", k::PVM_BYTE),
        ("INTEGER2", k::PVM_SHORT),
        ("INTEGER4", k::PVM_INT),
        ("REAL4", k::PVM_FLOAT),
        ("COMPLEX8", k::PVM_CPLX),
        ("REAL8", k::PVM_DOUBLE),
        ("COMPLEX16", k::PVM_DCPLX),
        ("INTEGER8", k::PVM_LONG),
        ("PVMROUTE", k::PvmRoute),
        ("PVMDEBUGMASK", k::PvmDebugMask),
        ("PVMAUTOERR", k::PvmAutoErr),
        ("PVMOUTPUTTID", k::PvmOutputTid),
        ("PVMOUTPUTCODE", k::PvmOutputCode),
        ("PVMTRACETID", k::PvmTraceTid),
        ("PVMTRACECODE", k::PvmTraceCode),
        ("PVMTRACEBUFFER", k::PvmTraceBuffer),
        ("PVMTRACEOPTIONS", k::PvmTraceOptions),
        ("PVMFRAGSIZE", k::PvmFragSize),
        ("PVMRESVTIDS", k::PvmResvTids),
        ("PVMSOUTPUTTID", k::PvmSelfOutputTid),
        ("PVMSOUTPUTCODE", k::PvmSelfOutputCode),
        ("PVMSTRACETID", k::PvmSelfTraceTid),
        ("PVMSTRACECODE", k::PvmSelfTraceCode),
        ("PVMSTRACEBUFFER", k::PvmSelfTraceBuffer),
        ("PVMSTRACEOPTIONS", k::PvmSelfTraceOptions),
        ("PVMSHOWTIDS", k::PvmShowTids),
        ("PVMPOLLTYPE", k::PvmPollType),
        ("PVMPOLLTIME", k::PvmPollTime),
        ("PVMOUTPUTCTX", k::PvmOutputContext),
        ("PVMTRACECTX", k::PvmTraceContext),
        ("PVMSOUTPUTCTX", k::PvmSelfOutputContext),
        ("PVMSTRACECTX", k::PvmSelfTraceContext),
        ("PVMNORESET", k::PvmNoReset),
        ("PVMDONTROUTE", k::PvmDontRoute),
        ("PVMALLOWDIRECT", k::PvmAllowDirect),
        ("PVMROUTEDIRECT", k::PvmRouteDirect),
        ("PVMTRACEFULL", k::PvmTraceFull),
        ("PVMTRACETIME", k::PvmTraceTime),
        ("PVMTRACECOUNT", k::PvmTraceCount),
        ("PVMPOLLCONSTANT", k::PvmPollConstant),
        ("PVMPOLLSLEEP", k::PvmPollSleep),
        ("PVMMBOXDEFAULT", k::PvmMboxDefault),
        ("PVMMBOXPERSISTENT", k::PvmMboxPersistent),
        ("PVMMBOXMULTIINSTANCE", k::PvmMboxMultiInstance),
        ("PVMMBOXOVERWRITABLE", k::PvmMboxOverWritable),
        ("PVMMBOXFIRSTAVAIL", k::PvmMboxFirstAvail),
        ("PVMMBOXREADANDDELETE", k::PvmMboxReadAndDelete),
        ("PVMMBOXWAITFORINFO", k::PvmMboxWaitForInfo),
    ];
    for (name, value) in expected {
        assert_eq!(p.get(*name), Some(value), "{name}");
    }
    // Everything else is an error code.
    let errors: Vec<(&String, &i32)> = p
        .iter()
        .filter(|(n, _)| !expected.iter().any(|(e, _)| e == n))
        .collect();
    assert_eq!(errors.len(), 35, "{errors:?}");
    for (name, code) in errors {
        let old = [("PVMNOENTRY", "PVMNOTFOUND"), ("PVMDUPENTRY", "PVMEXISTS")];
        let name = old
            .iter()
            .find(|(o, _)| o == name)
            .map_or(name.as_str(), |(_, now)| now);
        if *code == 0 {
            assert_eq!(name, "PVMOK");
            continue;
        }
        let e = PvmError::from_code(*code).unwrap_or_else(|| panic!("{name} = {code}"));
        assert_eq!(format!("PVM{e:?}").to_ascii_uppercase(), name, "{code}");
    }
}
