// Help texts of the command line.

export const MAIN_USAGE = `Usage: bun run cli <command> [options]

Manage a Defguard Core's users and networks in its database (the one the Core uses, configured by the
same DEFGUARD_DB_* or DEFGUARD_DATA_DIR variables). With the embedded database and a Core running on it,
the Core runs the command (through DEFGUARD_DATA_DIR/core.sock, with the Core's settings); otherwise the
CLI opens the database itself.

Commands:
  user add <username> --email <email> --first-name <name> --last-name <name> [--phone <phone>] [--password <password>]
  user list [--json]
  user enroll <username> [--email <email>]     print an enrollment link for the user
  user unlock <username>                       forget the user's failed admin logins (429 lockout)
  network add --name <name> --address <cidr> --port <port> --endpoint <host> --allowed-ips <cidrs> [--dns <servers>]
              [--keepalive-interval <s>] [--peer-disconnect-threshold <s>] [--allowed-groups <names>] [--mfa-mode <mode>]
  network list [--json]

Run "bun run cli <command> --help" for a command's details.
Exit status: 0 done, 1 refused or failed (the reason is printed), 2 wrong usage.`;

export const USAGE: Record<string, string> = {
  "user add": `Usage: bun run cli user add <username> --email <email> --first-name <name> --last-name <name> [--phone <phone>] [--password <password>]

Adds a user. Without --password the user sets one through the enrollment link ("user enroll").
A password given here must have 8-128 characters with a lowercase and an uppercase letter, a digit and
a special character; note that command lines may be visible to other users of the machine.`,
  "user list": `Usage: bun run cli user list [--json]

Lists every user: username, name, email, whether active and enrolled, and groups.`,
  "user enroll": `Usage: bun run cli user enroll <username> [--email <email>]

Prints the link (DEFGUARD_ENROLLMENT_URL with ?token=) through which the user sets a password and adds a
WireGuard device; valid for DEFGUARD_ENROLLMENT_TOKEN_TIMEOUT. For a user who already enrolled, the link
adds a device (desktop client setup). Earlier unused links of the user stop working.`,
  "user unlock": `Usage: bun run cli user unlock <username>

Forgets the user's failed logins to the admin API, so that a lockout (429 after 5 wrong passwords or
codes) ends now. Locks of client addresses (20 failures from one address) are not changed.`,
  "network add": `Usage: bun run cli network add --name <name> --address <cidr[,cidr]> --port <port> --endpoint <host>
                            --allowed-ips <cidr[,cidr]> [--dns <servers>] [--keepalive-interval <seconds>]
                            [--peer-disconnect-threshold <seconds>] [--allowed-groups <group[,group]>]
                            [--mfa-mode disabled|internal|external]

Adds a WireGuard network. --address is the gateway's address with the network's prefix, IPv4 and/or
IPv6 (e.g. 10.1.0.1/24,fd00::1/64). The Core generates the network's key pair; the public key is printed.`,
  "network list": `Usage: bun run cli network list [--json]

Lists every network with its addresses, port, endpoint and public key.`,
};
