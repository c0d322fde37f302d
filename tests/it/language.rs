//! The writer's language: diagnostics and the command line's lines in French by default,
//! English with `--lang en` or an English locale, the same codes, positions and JSON fields
//! in both, and a templates folder that rewords a message.

use crate::common::*;

const BAD_IP: (&str, &str) = ("ip: 10.88.0.210", "ip: 10.88.0.999");

fn check_bad_ip(env: &[(&str, &str)], extra: &[&str]) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let inv = mutated(dir.path(), BAD_IP.0, BAD_IP.1);
    let mut args = vec!["check", "--inventory", inv.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = bascule_in_locale(dir.path(), env, &args);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    (stderr(&o), stdout(&o))
}

#[test]
fn without_a_locale_faults_and_summaries_are_french() {
    let (err, _) = check_bad_ip(&[], &[]);
    assert!(
        err.contains("erreur[E0101]: `10.88.0.999` n’est pas une adresse IPv4"),
        "{err}"
    );
    assert!(
        err.contains("= aide: écrivez quatre nombres de 0 à 255"),
        "{err}"
    );
    assert!(err.contains("inv.yaml:62:13"), "{err}");
    assert!(
        err.contains("check\u{a0}: 1 erreur, 1 avertissement"),
        "{err}"
    );
    // A French locale, or one that names no language, is French too.
    for locale in ["fr_CA.UTF-8", "C.UTF-8", "POSIX"] {
        let (err, _) = check_bad_ip(&[("LANG", locale)], &[]);
        assert!(err.contains("erreur[E0101]"), "{locale}: {err}");
    }
}

#[test]
fn an_english_locale_or_the_flag_gives_english_and_the_flag_wins() {
    let (err, _) = check_bad_ip(&[("LANG", "en_CA.UTF-8")], &[]);
    assert!(
        err.contains("error[E0101]: `10.88.0.999` is not an IPv4 address"),
        "{err}"
    );
    assert!(err.contains("check: 1 error(s), 1 warning(s)"), "{err}");
    // LC_ALL before LANG, as gettext reads them.
    let (err, _) = check_bad_ip(&[("LANG", "fr_CA.UTF-8"), ("LC_ALL", "en_US.UTF-8")], &[]);
    assert!(err.contains("error[E0101]"), "{err}");
    let (err, _) = check_bad_ip(&[("LANG", "fr_CA.UTF-8")], &["--lang", "en"]);
    assert!(err.contains("error[E0101]"), "{err}");
    let (err, _) = check_bad_ip(&[("LC_ALL", "en_US.UTF-8")], &["--lang", "fr"]);
    assert!(err.contains("erreur[E0101]"), "{err}");
}

#[test]
fn json_and_github_keep_their_fields_and_codes_whatever_the_language() {
    let (_, fr) = check_bad_ip(&[], &["--format", "json"]);
    let (_, en) = check_bad_ip(&[("LANG", "en")], &["--format", "json"]);
    let (fr, en) = (json_diagnostics(&fr), json_diagnostics(&en));
    assert_eq!(fr.len(), en.len());
    for (f, e) in fr.iter().zip(&en) {
        for field in ["version", "type", "severity", "code", "line", "col"] {
            assert_eq!(f[field], e[field], "{field}");
        }
        let file = |d: &serde_json::Value| d["file"].as_str().map(|f| f.ends_with("inv.yaml"));
        assert_eq!(file(f), file(e));
    }
    let ip = fr.iter().find(|d| d["code"] == "E0101").unwrap();
    assert_eq!(ip["message"], "`10.88.0.999` n’est pas une adresse IPv4");
    let (_, gh) = check_bad_ip(&[], &["--format", "github"]);
    assert!(gh.contains("::error file="), "{gh}");
    assert!(
        gh.contains("title=E0101::`10.88.0.999` n’est pas une adresse IPv4 (écrivez"),
        "{gh}"
    );
}

#[test]
fn a_templates_folder_rewords_a_message_and_a_bad_one_is_said() {
    let dir = tempfile::tempdir().unwrap();
    let inv = mutated(dir.path(), BAD_IP.0, BAD_IP.1);
    let templates = dir.path().join("templates");
    std::fs::create_dir(&templates).unwrap();
    let own = "names.ip_invalid:\n  fr: \"adresse refusée\u{a0}: {{ value }}\"\n";
    std::fs::write(templates.join("diagnostics.yaml"), own).unwrap();
    let args = ["check", "--inventory", inv.to_str().unwrap()];
    let o = bascule_in_locale(dir.path(), &[], &args);
    let err = stderr(&o);
    assert!(
        err.contains("erreur[E0101]: adresse refusée\u{a0}: 10.88.0.999"),
        "{err}"
    );
    // English keeps its own text.
    let o = bascule_in_locale(dir.path(), &[("LANG", "en")], &args);
    assert!(
        stderr(&o).contains("is not an IPv4 address"),
        "{}",
        stderr(&o)
    );
    std::fs::write(
        templates.join("diagnostics.yaml"),
        "names.ip_invalide:\n  fr: x\n",
    )
    .unwrap();
    let o = bascule_in_locale(dir.path(), &[], &args);
    let err = stderr(&o);
    assert!(err.contains("avertissement\u{a0}: le fichier des messages `templates/diagnostics.yaml` donne un texte que bascule n’a pas\u{a0}: `names.ip_invalide`"), "{err}");
    assert!(err.contains("n’est pas une adresse IPv4"), "{err}");
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn a_build_that_stops_says_so_in_french_with_agreement() {
    let dir = tempfile::tempdir().unwrap();
    let inv = mutated_all(
        dir.path(),
        &[BAD_IP, ("ip: 10.88.0.211", "ip: 10.88.0.998")],
    )
    .0;
    let args = [
        "build",
        "--inventory",
        inv.to_str().unwrap(),
        "--out",
        "out",
    ];
    let o = bascule_in_locale(dir.path(), &[], &args);
    let err = stderr(&o);
    assert!(
        err.contains("erreur\u{a0}: 2 erreurs\u{202f}; le dossier de sortie n’a pas changé"),
        "{err}"
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn the_dry_run_of_send_is_french_and_aligned() {
    let dir = tempfile::tempdir().unwrap();
    let octopus = "\noctopus:\n  mailbox: \"Centre <octopus@example.org>\"\n  sender: \"Équipe <web@example.org>\"\n";
    let inv = dir.path().join("inv.yaml");
    std::fs::write(&inv, format!("{SEED}{octopus}")).unwrap();
    let inv = inv.to_str().unwrap();
    let built = bascule_in_locale(dir.path(), &[], &["build", "--inventory", inv]);
    assert!(built.status.success(), "{}", stderr(&built));
    assert!(
        stderr(&built).contains("48 fichiers écrits dans "),
        "{}",
        stderr(&built)
    );
    let o = bascule_in_locale(dir.path(), &[], &["send", "--inventory", inv]);
    let out = stdout(&o);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        out.starts_with("Essai\u{a0}: rien n’est envoyé (--yes envoie)."),
        "{out}"
    );
    // The longest word (« mise à jour » would be 11) or 9 columns, and one space.
    let row = out.lines().find(|l| l.starts_with("nouvelle")).unwrap();
    assert!(
        row.starts_with("nouvelle  ") && !row.starts_with("nouvelle   "),
        "{row}"
    );
    assert!(row.contains("\u{a0}: "), "{row}");
    let reason = out.lines().find(|l| l.contains("jamais envoyée")).unwrap();
    assert!(reason.starts_with(&" ".repeat(10)), "{reason}");
    // The counts agree with their words.
    let last = out.lines().last().unwrap();
    assert_eq!(
        last,
        "4 à envoyer (4 nouvelles, 0 mise à jour), 2 non envoyées"
    );
}
