/**
 * Lines that user space wrote next to the kernel's in a paste: ndctl/daxctl/cxl library logging
 * (`libdaxctl: daxctl_dev_disable: dax0.0: failed to disable`, log_err() in ndctl's util/log.c
 * prefixes the library name), a shell prompt and the command after it, and markdown code fences.
 * None of them is ever the continuation of a kernel message, though none carries a timestamp.
 */
const USER_SPACE = new RegExp(
  [
    String.raw`^lib(?:daxctl|ndctl|cxl): `,
    String.raw`^(?:ndctl|daxctl|cxl)(?: \S+)*: (?:error|warning|failed)\b`,
    // `$ cmd`, `# cmd`, `root@host:~# cmd`, `[root@host ~]# cmd`, `host:~ # cmd`, `(venv) $ cmd`
    String.raw`^(?:\([\w.-]+\) )?(?:\[[^\]\s]+ [^\]]*\]|[\w.-]+@[\w.-]+(?::\S*)?|[\w.-]+:[~/]\S*)? ?[$#] \S`,
    String.raw`^\s*(?:\x60{3}|~{3})`,
  ].join('|'),
);

export function isUserSpace(text: string): boolean {
  return USER_SPACE.test(text);
}
