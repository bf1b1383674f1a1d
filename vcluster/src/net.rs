//! The network side of a cluster: a bridge on the real host, one network namespace per
//! virtual host, and a veth pair joining each namespace to the bridge.
//!
//! A cluster's namespaces and links are made and removed by one `ip -batch` each way,
//! and each host configures its own end from inside ([`configure_inside`]): a 64-host
//! cluster would otherwise spend most of `up` starting hundreds of `ip` processes.

use std::io;
use std::net::Ipv4Addr;
use std::os::fd::AsRawFd;
use std::process::Command;

use crate::run::{output_with_input, run, stdout, RunError};

/// The prefix length of every cluster subnet.
pub const PREFIX_LEN: u8 = 24;

/// Creates, for each `(namespace, host end)`, the namespace and a veth pair: the host
/// end on `bridge` and up, `eth0` in the namespace (configured by the host itself).
pub fn create_hosts(bridge: &str, hosts: &[(&str, &str)]) -> Result<(), RunError> {
    let mut lines = String::new();
    for (ns, veth) in hosts {
        lines.push_str(&format!(
            "netns add {ns}\n\
             link add {veth} type veth peer name eth0 netns {ns}\n\
             link set {veth} master {bridge}\n\
             link set {veth} up\n"
        ));
    }
    output_with_input(Command::new("ip").args(["-batch", "-"]), &lines).map(drop)
}

/// Deletes hosts' namespaces and the bridge, whichever of them exist, and waits up to
/// `limit` for the hosts' links to go. A namespace's veth goes when the kernel destroys
/// the namespace, which it does for all of them in one batch: deleting 64 veths one by
/// one instead takes seconds of RTNL round trips.
pub fn delete_all(
    bridge: &str,
    hosts: &[(&str, &str)],
    limit: std::time::Duration,
) -> Result<(), RunError> {
    let listed = stdout("ip", ["netns", "list"]).unwrap_or_default();
    let existing: Vec<&str> = listed
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    let mut lines = String::new();
    for (ns, _) in hosts.iter().filter(|(ns, _)| existing.contains(ns)) {
        lines.push_str(&format!("netns del {ns}\n"));
    }
    if link_exists(bridge) {
        lines.push_str(&format!("link del {bridge}\n"));
    }
    if !lines.is_empty() {
        output_with_input(Command::new("ip").args(["-batch", "-"]), &lines)?;
    }
    let deadline = std::time::Instant::now() + limit;
    loop {
        let links = stdout("ip", ["-o", "link", "show"]).unwrap_or_default();
        let left: Vec<&str> = hosts
            .iter()
            .map(|(_, veth)| *veth)
            .filter(|veth| links.contains(&format!(": {veth}@")))
            .collect();
        if left.is_empty() {
            return Ok(());
        }
        if std::time::Instant::now() >= deadline {
            // Something still holds a namespace: delete its link by hand.
            let lines: String = left.iter().map(|v| format!("link del {v}\n")).collect();
            return output_with_input(Command::new("ip").args(["-batch", "-"]), &lines).map(drop);
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// Brings up `lo` and `eth0` with `addr`/[`PREFIX_LEN`], from inside the host's network
/// namespace (the host's init calls this after entering it).
pub fn configure_inside(addr: Ipv4Addr) -> io::Result<()> {
    use nix::sys::socket::{socket, AddressFamily, SockFlag, SockType};
    let sock = socket(
        AddressFamily::Inet,
        SockType::Datagram,
        SockFlag::SOCK_CLOEXEC,
        None,
    )?;
    let fd = sock.as_raw_fd();
    set_up(fd, "lo")?;
    let mask = Ipv4Addr::from(u32::MAX << (32 - PREFIX_LEN));
    set_addr(fd, "eth0", libc::SIOCSIFADDR, addr)?;
    set_addr(fd, "eth0", libc::SIOCSIFNETMASK, mask)?;
    set_up(fd, "eth0")
}

fn ifreq(name: &str) -> libc::ifreq {
    // SAFETY: ifreq is plain old data (a name and a union of integers and addresses);
    // all zeroes is a valid value of it.
    let mut ifr: libc::ifreq = unsafe { std::mem::zeroed() };
    for (d, s) in ifr
        .ifr_name
        .iter_mut()
        .zip(name.bytes().take(libc::IFNAMSIZ - 1))
    {
        *d = s as libc::c_char;
    }
    ifr
}

fn set_up(fd: i32, name: &str) -> io::Result<()> {
    let mut ifr = ifreq(name);
    // SAFETY: fd is an open socket and ifr a valid ifreq naming the interface; the
    // kernel writes only the flags of the union, which are then read.
    unsafe {
        if libc::ioctl(fd, libc::SIOCGIFFLAGS as _, &mut ifr) < 0 {
            return Err(io::Error::last_os_error());
        }
        ifr.ifr_ifru.ifru_flags |= libc::IFF_UP as libc::c_short;
        if libc::ioctl(fd, libc::SIOCSIFFLAGS as _, &ifr) < 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

fn set_addr(fd: i32, name: &str, request: libc::c_ulong, addr: Ipv4Addr) -> io::Result<()> {
    let mut ifr = ifreq(name);
    let sin = libc::sockaddr_in {
        sin_family: libc::AF_INET as libc::sa_family_t,
        sin_port: 0,
        sin_addr: libc::in_addr {
            s_addr: u32::from(addr).to_be(),
        },
        sin_zero: [0; 8],
    };
    // SAFETY: sockaddr_in fits in the sockaddr of the union (both 16 bytes, as the
    // kernel's ifreq ABI has it); fd is an open socket and ifr a valid ifreq.
    unsafe {
        std::ptr::write(
            std::ptr::addr_of_mut!(ifr.ifr_ifru.ifru_addr).cast::<libc::sockaddr_in>(),
            sin,
        );
        if libc::ioctl(fd, request as _, &ifr) < 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

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

/// Brings a link on the real host up or down (cutting a virtual host off its network).
pub fn set_link(name: &str, up: bool) -> Result<(), RunError> {
    run("ip", ["link", "set", name, if up { "up" } else { "down" }]).map(drop)
}

/// The links of the real host that are administratively up, in one `ip` call.
pub fn all_links_up() -> Vec<String> {
    stdout("ip", ["-o", "link", "show"])
        .map(|out| links_up(&out))
        .unwrap_or_default()
}

/// The names of the links that are up in `ip -o link` output
/// (`7: vc-a-1@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> ...`).
fn links_up(out: &str) -> Vec<String> {
    out.lines()
        .filter_map(|line| {
            let mut fields = line.split(": ");
            let name = fields.nth(1)?.split('@').next()?.to_string();
            let flags = line.split_once('<')?.1.split_once('>')?.0;
            flags.split(',').any(|f| f == "UP").then_some(name)
        })
        .collect()
}

/// Whether a link of that name exists on the real host.
pub fn link_exists(name: &str) -> bool {
    run("ip", ["link", "show", "dev", name]).is_ok()
}

/// The kernel's name of a network namespace (`net:[4026532177]`, as /proc/PID/ns/net
/// links read), from its inode under /run/netns; none if it does not exist.
pub fn namespace_id(ns: &str) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(format!("/run/netns/{ns}")).ok()?;
    Some(format!("net:[{}]", meta.ino()))
}

/// Whether a network namespace of that name exists.
pub fn namespace_exists(ns: &str) -> bool {
    stdout("ip", ["netns", "list"])
        .map(|out| out.lines().any(|l| l.split_whitespace().next() == Some(ns)))
        .unwrap_or(false)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_up_from_ip_output() {
        let out = "7: vc-a-1@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500\n\
                   8: vc-a-2@if2: <BROADCAST,MULTICAST> mtu 1500\n\
                   9: vcbr-a: <BROADCAST,MULTICAST,UP> mtu 1500\n";
        assert_eq!(links_up(out), ["vc-a-1", "vcbr-a"]);
    }
}
