use super::*;

fn like_of(literal: &str) -> Like {
    let q = format!("SELECT Id FROM Account WHERE Name LIKE '{literal}'");
    match parse(&q).expect("query").filter {
        Filter::NameLike(like) => like,
        other => panic!("not a LIKE: {other:?}"),
    }
}

#[test]
fn like_honours_wildcards_escapes_and_ignores_case() {
    let table: [(&str, &str, bool); 16] = [
        ("%Acme%", "Acme Ltd", true),
        ("%acme%", "ACME LTD", true),
        ("Acme", "Acme Ltd", false),
        ("Acme%", "Acme Ltd", true),
        ("%Ltd", "Acme Ltd", true),
        ("A_me%", "Acme Ltd", true),
        ("A_me%", "Ame Ltd", false),
        (r"%50\%%", "50% off", true),
        (r"%50\%%", "500 off", false),
        (r"%a\_b%", "a_b", true),
        (r"%a\_b%", "axb", false),
        (r"%O\'Brien \\ \%\_%", r"Ask O'Brien \ %_ now", true),
        (r"%O\'Brien \\ \%\_%", r"O'Brien \ %X", false),
        (r"%O\'Brien \\ \%\_%", "O'Brien X", false),
        ("%", "", true),
        ("%%a%%", "bab", true),
    ];
    for (literal, name, expected) in table {
        assert_eq!(
            like_of(literal).matches(name),
            expected,
            "{literal} ~ {name}"
        );
    }
}

#[test]
fn string_literals_take_soqls_escape_sequences() {
    let q = r#"SELECT Id FROM Account WHERE Name = 'a\nb\tc\'d\\e\u00e9\Rf\b\F\"'"#;
    assert_eq!(
        parse(q).expect("query").filter,
        Filter::NameIs("a\nb\tc'd\\eé\rf\u{8}\u{c}\"".into())
    );
    for bad in [
        r"SELECT Id FROM Account WHERE Name = 'a\%'",
        r"SELECT Id FROM Account WHERE Name = 'a\q'",
        r"SELECT Id FROM Account WHERE Name = 'a\u00'",
        r"SELECT Id FROM Account WHERE Name = 'open",
        r"SELECT Id FROM Account WHERE Name LIKE 'a\'",
    ] {
        assert_eq!(
            parse(bad).map_err(|e| e.code),
            Err("MALFORMED_QUERY"),
            "{bad}"
        );
    }
}

#[test]
fn the_clients_shapes_are_read() {
    let search =
        parse(r"select id, NAME from contact where name like '%Jane%' order by Name limit 200")
            .expect("search");
    assert_eq!(search.object, SObject::Contact);
    assert_eq!(search.fields, ["Id", "Name"]);
    assert_eq!(search.order, Some(("Name", false)));
    assert_eq!(search.limit, Some(200));
    let cases = parse(
        "SELECT Id, CaseNumber, Status FROM Case WHERE Id IN ('500Fk0000000001AAA', \
         '500Fk0000000002')",
    )
    .expect("cases");
    assert_eq!(cases.object, SObject::Case);
    assert_eq!(cases.fields, ["Id", "CaseNumber", "Status"]);
    assert_eq!(
        cases.filter,
        Filter::IdIn(vec!["500Fk0000000001AAA".into(), "500Fk0000000002".into()])
    );
    let desc = parse("SELECT Name FROM Account WHERE Id = '001Fk0000000001' ORDER BY Name DESC")
        .expect("desc");
    assert_eq!(desc.order, Some(("Name", true)));
}

#[test]
fn other_queries_are_refused_as_salesforce_does() {
    let table = [
        ("", "MALFORMED_QUERY"),
        ("SELECT", "MALFORMED_QUERY"),
        ("SELECT Id FROM Account", "MALFORMED_QUERY"),
        (
            "SELECT Id FROM Account WHERE Name LIKE 'a' OR Name LIKE 'b'",
            "MALFORMED_QUERY",
        ),
        (
            "SELECT Id FROM Account WHERE Name LIKE 'a' LIMIT x",
            "MALFORMED_QUERY",
        ),
        (
            "SELECT Id FROM Account WHERE Name LIKE 'a' LIMIT 1 ORDER BY Name",
            "MALFORMED_QUERY",
        ),
        (
            "SELECT Id FROM Account WHERE Name LIKE 'a'; DELETE",
            "MALFORMED_QUERY",
        ),
        (
            "SELECT Id FROM Case WHERE Status LIKE 'a'",
            "MALFORMED_QUERY",
        ),
        (
            "SELECT Id FROM Case WHERE Id IN ('a' 'b')",
            "MALFORMED_QUERY",
        ),
        ("SELECT Id FROM Lead WHERE Name LIKE 'a'", "INVALID_TYPE"),
        (
            "SELECT Id, Foo FROM Account WHERE Name LIKE 'a'",
            "INVALID_FIELD",
        ),
        (
            "SELECT Id FROM Account WHERE Name LIKE 'a' ORDER BY Foo",
            "INVALID_FIELD",
        ),
    ];
    for (q, code) in table {
        assert_eq!(parse(q).map_err(|e| e.code).err(), Some(code), "{q}");
    }
}
