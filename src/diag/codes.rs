//! Every diagnostic code, with the line that says what it is about: one enum, each code
//! documented in the README (a test holds every code to a README row and a test).

macro_rules! codes {
    ($($code:ident => $summary:literal,)*) => {
        /// Every diagnostic code. A test checks that each has a README row and a test.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $(#[doc = $summary] $code,)* }

        impl Code {
            /// Every code, in declaration order (by number, warnings among the errors).
            pub const ALL: &[Code] = &[$(Code::$code,)*];

            /// The code as printed and documented, e.g. `"E0101"`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$code => stringify!($code),)* }
            }

            /// One line saying what the code is about.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$code => $summary,)* }
            }
        }
    };
}

codes! {
    E0001 => "the inventory file cannot be read (missing, a folder, a pipe or a device)",
    E0002 => "YAML syntax error, empty inventory, or an inventory over 4 MiB",
    E0003 => "the inventory is not UTF-8",
    E0004 => "the inventory cannot be read from Git at the revision given (`diff --against`)",
    E0010 => "unknown key",
    E0011 => "unknown value",
    E0012 => "missing key",
    E0013 => "a value of the wrong type",
    E0101 => "not an IPv4 address",
    E0102 => "not a machine name (a host-name label)",
    E0103 => "not a DNS name",
    E0104 => "machine name used twice (names compare without case)",
    E0105 => "one IP address for two VMs that exist at the same state",
    E0106 => "one DNS name held by two VMs at the same state (whole inventory, without case)",
    E0107 => "a DNS move or release by a VM that does not hold the name",
    W0108 => "a DNS name outside `zones` and not in `dns_allow`",
    E0109 => "impossible date",
    E0110 => "the states are not reference → before… → migration → after…",
    E0111 => "jour M is not after the reference date",
    E0112 => "migration order used twice or contradicting the dates",
    E0113 => "action for an unknown state",
    E0114 => "action after the VM's deletion",
    E0115 => "action before the VM's creation",
    E0116 => "`role_after` on a deleted VM, or missing on a kept one",
    E0117 => "creation without an Octopus number (`check`)",
    W0117 => "creation without an Octopus number yet (`build`)",
    W0118 => "creation sent to Octopus (in the journal), its number pending (`check`)",
    W0119 => "`document.octopus_mailbox`, now `octopus.mailbox`",
    E0118 => "one Octopus number for two requests",
    E0119 => "a machine that is not in the instance",
    E0120 => "empty text, a control character, or spaces around a text",
    E0121 => "an id that is not a lowercase slug",
    E0122 => "an id or annexe number used twice",
    E0123 => "not an http(s) URL",
    E0124 => "a VM without `role`",
    E0125 => "a VM created or deleted twice",
    E0126 => "a text longer than its limit",
    E0127 => "more items than the documented limit (instances, VMs, states, names)",
    E0128 => "the VM receiving an instance's migration is missing, ambiguous or gone",
    W0129 => "a state `label` that does not match its kind and offset",
    E0130 => "an inventory without instances",
    E0131 => "an intervention number for a state where the instance has no intervention",
    W0132 => "a placeholder (`à compléter`) still in a value",
    E0133 => "a character the bundled fonts cannot draw (the PDF and the annexes would show a blank box)",
    W0134 => "an example value of `bascule init` not changed yet (a line marked `# exemple à changer`)",
    E0135 => "a data move the timeline makes impossible (a source not in service on jour M, a destination that is not there or goes, a database used after its server goes)",
    E0136 => "an application both upgraded and kept, or half an upgrade (`from` without `target`)",
    E0137 => "`follows` on a migrated instance, or naming an instance that does not migrate",
    E0138 => "a writer's section holding a heading, HTML, a code block, a table or an image",
    W0139 => "a meeting that may lack its article (« la réunion comité »)",
    E0140 => "an intervention's start that is not HH:MM, or a duration that is not `4h`, `2h30` or `90min`",
    E0141 => "a time zone the bundled database does not know",
    W0142 => "an intervention on a Saturday or a Sunday (unless `document.weekends: true`)",
    E0143 => "an invisible character or a control of the writing direction in a text",
    E0144 => "more than two combining marks piled on one letter",
    E0145 => "two instances with the same name, or names that look alike",
    E0146 => "a URL host that mixes alphabets (a look-alike letter)",
    W0147 => "an internationalised URL host (its punycode form is shown)",
    E0150 => "Octopus settings that do not hold together (a service request without its token, an update subject without `{number}`)",
    E0151 => "the journal of sent requests cannot be read, or is not a journal",
    E0401 => "a template cannot be read",
    E0402 => "a template error (with the template's line and column)",
    E0403 => "a ticket template without a subject line",
    E0404 => "two tickets would share a file name",
    E0405 => "an annexe PNG missing for a ticket email",
    E0406 => "an Octopus mailbox or sender that is not an address",
    E0407 => "the labels file is unreadable, or has an unknown or missing key",
    E0408 => "the Word document cannot be written",
    E0409 => "a template took longer, or more memory, than a render may (a loop without end, a text that doubles)",
    E0501 => "the document was not generated",
    E0502 => "an instance's section is missing from the document",
    E0503 => "a VM's row is missing from its instance's table, or differs from the plan",
    E0504 => "a VM's row of operations per state is missing or differs from the plan",
    E0506 => "an Octopus number is not cited in its instance's section",
    E0507 => "a section lists a VM of another instance",
    E0508 => "an annexe image is not shown",
    E0510 => "the output folder cannot be read",
    E0511 => "a file a fresh build writes is missing",
    E0512 => "a file differs from a fresh build (stale or edited)",
    E0513 => "a file a fresh build does not write",
    E0514 => "an entry `check --out` does not read (a link, a pipe, a device, over 64 MiB)",
    E0515 => "the output folder was built with another setting than this check's (another paper)",
    E0520 => "an annexe is missing",
    E0521 => "a VM's box is missing from its annexe",
    E0522 => "a VM is drawn at a state where it does not exist",
    E0523 => "a VM's box has the wrong colour",
    E0524 => "a VM's box does not show its machine or DNS name",
    E0530 => "the ticket manifest is missing or unreadable",
    E0531 => "a ticket file is missing",
    E0532 => "a ticket lists a VM of another instance",
    E0533 => "a ticket's text does not name its VMs or its Octopus number",
    E0534 => "an intervention's request lacks a step of its runbook or of its rollback",
    E0535 => "the document's calendar lacks a request",
    E0536 => "`calendar.ics` lacks a dated intervention",
    E0537 => "a ticket e-mail that a mail reader reads otherwise than its ticket (subject, text, attachments)",
    E0540 => "`document.pdf` is missing or unreadable",
    E0541 => "the text of `document.pdf` lacks a VM, an Octopus number or a colour word",
    E0542 => "`document.docx` is missing or unreadable",
    E0543 => "the text of `document.docx` lacks a VM, an Octopus number or a colour word",
    E0601 => "an annexe cannot be drawn",
    E0602 => "an annexe would be larger than the picture limit",
    E0701 => "the output folder holds files bascule did not write: it is not replaced",
    E0702 => "the output folder cannot be written (an I/O fault not listed below)",
    E0703 => "no space left on the output's device (disk full or quota)",
    E0704 => "permission denied by the system (the output folder or its parent)",
    E0705 => "the output's file system is mounted read-only",
    E0706 => "the output folder is read-only: it is not replaced",
    E0707 => "another bascule build held the output folder for too long",
    W0708 => "the build succeeded, but what it found after the swap needs a look (a file of someone else's kept, the previous output not removed)",
}
