//! The network side of a cluster: a bridge on the real host, one network namespace per
//! virtual host, and a veth pair joining each namespace to the bridge.

use std::net::Ipv4Addr;

use crate::run::{run, stdout, RunError};

/// The /24 prefix every cluster's subnet lives in (10.250.S.0/24, S chosen per cluster).
pub const PREFIX: [u8; 2] = [10, 250];
/// The host part the real host takes on the bridge; virtual hosts get 1..=N.
pub const BRIDGE_HOST: u8 = 254;

/// The address of host number `host` on subnet `subnet`.
pub fn address(subnet: u8, host: u8) -> Ipv4Addr {
    Ipv4Addr::new(PREFIX[0], PREFIX[1], subnet, host)
}

/// Creates a bridge holding `addr`/24 and brings it up.
pub fn create_bridge(name: &str, addr: Ipv4Addr) -> Result<(), RunError> {
    run("ip", ["link", "add", name, "type", "bridge"])?;
    run("ip", ["addr", "add", &format!("{addr}/24"), "dev", name])?;
    run("ip", ["link", "set", name, "up"])?;
    Ok(())
}

/// Creates network namespace `ns` with its loopback up.
pub fn create_namespace(ns: &str) -> Result<(), RunError> {
    run("ip", ["netns", "add", ns])?;
    run("ip", ["-n", ns, "link", "set", "lo", "up"])?;
    Ok(())
}

/// Joins namespace `ns` to `bridge` by a veth pair: `host_if` on the bridge, `eth0`
/// with `addr`/24 inside the namespace.
pub fn attach(ns: &str, host_if: &str, bridge: &str, addr: Ipv4Addr) -> Result<(), RunError> {
    run(
        "ip",
        [
            "link", "add", host_if, "type", "veth", "peer", "name", "eth0", "netns", ns,
        ],
    )?;
    run("ip", ["link", "set", host_if, "master", bridge])?;
    run("ip", ["link", "set", host_if, "up"])?;
    run(
        "ip",
        [
            "-n",
            ns,
            "addr",
            "add",
            &format!("{addr}/24"),
            "dev",
            "eth0",
        ],
    )?;
    run("ip", ["-n", ns, "link", "set", "eth0", "up"])?;
    Ok(())
}

/// Brings a link on the real host up or down (cutting a virtual host off its network).
pub fn set_link(name: &str, up: bool) -> Result<(), RunError> {
    run("ip", ["link", "set", name, if up { "up" } else { "down" }]).map(drop)
}

/// Whether a link on the real host is administratively up (false if it is down or
/// does not exist).
pub fn link_is_up(name: &str) -> bool {
    stdout("ip", ["-o", "link", "show", "dev", name])
        .ok()
        .and_then(|out| {
            let flags = out.split_once('<')?.1.split_once('>')?.0.to_string();
            Some(flags.split(',').any(|f| f == "UP"))
        })
        .unwrap_or(false)
}

/// Whether a link of that name exists on the real host.
pub fn link_exists(name: &str) -> bool {
    run("ip", ["link", "show", "dev", name]).is_ok()
}

/// Whether a network namespace of that name exists.
pub fn namespace_exists(ns: &str) -> bool {
    stdout("ip", ["netns", "list"])
        .map(|out| out.lines().any(|l| l.split_whitespace().next() == Some(ns)))
        .unwrap_or(false)
}

/// The processes running inside namespace `ns`.
pub fn namespace_pids(ns: &str) -> Vec<i32> {
    stdout("ip", ["netns", "pids", ns])
        .map(|out| {
            out.split_whitespace()
                .filter_map(|p| p.parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

/// Deletes a link if it exists (deleting one end of a veth pair removes both).
pub fn delete_link(name: &str) -> Result<(), RunError> {
    if link_exists(name) {
        run("ip", ["link", "del", name])?;
    }
    Ok(())
}

/// Deletes a namespace if it exists.
pub fn delete_namespace(ns: &str) -> Result<(), RunError> {
    if namespace_exists(ns) {
        run("ip", ["netns", "del", ns])?;
    }
    Ok(())
}

/// The third octets of 10.250.x.0/24 subnets the real host already has addresses in.
pub fn subnets_in_use() -> Vec<u8> {
    let Ok(out) = stdout("ip", ["-o", "-4", "addr", "show"]) else {
        return Vec::new();
    };
    out.split_whitespace()
        .filter_map(|word| word.split('/').next()?.parse::<Ipv4Addr>().ok())
        .filter(|a| a.octets()[..2] == PREFIX)
        .map(|a| a.octets()[2])
        .collect()
}
