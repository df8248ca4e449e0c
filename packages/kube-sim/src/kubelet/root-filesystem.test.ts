import { describe, expect, it } from "vitest";
import { parseMountInfo, rootFilesystemMounts } from "./root-filesystem.ts";

const MOUNTINFO = [
  "22 27 0:21 / /proc rw,relatime - proc proc rw",
  "24 27 0:6 / /dev rw,relatime - devtmpfs devtmpfs rw,mode=755",
  "25 24 0:23 / /dev/shm rw,relatime - tmpfs tmpfs rw",
  "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw",
  "28 27 0:25 / /mnt/tools ro,nosuid,nodev,relatime - tmpfs tools ro,size=4k",
  "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
  "42 27 254:0 /run/netns /run/netns rw,relatime shared:1 - ext4 /dev/vda rw",
  "43 42 0:4 net:[4026532] /run/netns/pod-a rw shared:2 - nsfs nsfs rw",
  "44 27 0:40 / /tmp rw,nosuid - tmpfs tmpfs rw",
  "45 27 254:0 /srv/repo /var/lib/ci/checkout\\040one rw,relatime - ext4 /dev/vda rw",
  "46 44 254:0 /x /tmp/inner rw - ext4 /dev/vda rw",
].join("\n");

describe("root file system mounts", () => {
  it("parses mount points (octal escapes undone), per-mount read-only flags and file system types", () => {
    const mounts = parseMountInfo(MOUNTINFO);
    expect(mounts.find((m) => m.mountPoint === "/var/lib/ci/checkout one")).toEqual({
      mountPoint: "/var/lib/ci/checkout one",
      readOnly: false,
      fsType: "ext4",
    });
    expect(mounts.find((m) => m.mountPoint === "/mnt/tools")?.readOnly).toBe(true);
    expect(mounts).toHaveLength(11);
  });

  it("remounts every writable machine mount but the kernel's trees, namespace files and what volumes hide", () => {
    expect(rootFilesystemMounts(parseMountInfo(MOUNTINFO), ["/tmp/", "/etc/hosts"])).toEqual([
      "/",
      "/run/netns",
      "/var/lib/ci/checkout one",
    ]);
  });
});
