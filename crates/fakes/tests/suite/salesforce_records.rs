//! The Salesforce client against the fake's data API: searches whose text is taken literally,
//! pages behind `nextRecordsUrl`, record names, and a Case created, read, updated and read back,
//! with Salesforce's refusals in Salesforce's words; plus the fake's answers on the wire.

use caredesk_app::salesforce::{
    ApiProblem, CaseState, NewSalesforceCase, SalesforceApi, SalesforceError, SearchObject,
};
use caredesk_fakes::FakeSalesforce;

use crate::support::*;

fn names(page: &caredesk_app::salesforce::FoundPage) -> Vec<&str> {
    page.items.iter().map(|f| f.name.as_str()).collect()
}

#[tokio::test]
async fn a_search_takes_quotes_backslashes_and_wildcards_literally() {
    let fake = salesforce().await;
    let exact = fake.add_account(r"O'Brien \ %_");
    for decoy in [
        "O'Brien X",
        "OBrien",
        r"O'Brien \ 100%_",
        r"O'Brien \ %X",
        r"O'Brien \\ %_",
        r"OXBrien \ %_",
    ] {
        fake.add_account(decoy);
    }
    fake.add_account(r"The o'brien \ %_ Holdings");
    fake.add_contact(r"O'Brien \ %_", None);
    let client = sf_client();
    let session = sf_session(&fake, &client).await;
    let found = client
        .search(&session, SearchObject::Account, r"O'Brien \ %_", None)
        .await
        .expect("search");
    assert_eq!(
        names(&found),
        [r"O'Brien \ %_", r"The o'brien \ %_ Holdings"]
    );
    assert_eq!(found.items[0].id, exact);
    assert_eq!(found.next, None);
    let contacts = client
        .search(&session, SearchObject::Contact, "%", None)
        .await
        .expect("search");
    assert_eq!(names(&contacts), [r"O'Brien \ %_"]);
}

#[tokio::test]
async fn searches_page_through_next_records_urls() {
    let fake = salesforce().await;
    for name in ["Acme 3", "acme 1", "Acme 5", "Globex", "Acme 2", "ACME 4"] {
        fake.add_account(name);
    }
    fake.set_page_size(2);
    let client = sf_client();
    let session = sf_session(&fake, &client).await;
    let mut page = client
        .search(&session, SearchObject::Account, "acme", None)
        .await
        .expect("first page");
    let mut seen = Vec::new();
    let mut pages = 1;
    loop {
        seen.extend(names(&page).into_iter().map(str::to_owned));
        let Some(next) = page.next.clone() else {
            break;
        };
        assert!(next.starts_with("/services/data/v62.0/query/01g"), "{next}");
        page = client
            .search(&session, SearchObject::Account, "acme", Some(&next))
            .await
            .expect("next page");
        pages += 1;
    }
    assert_eq!(seen, ["acme 1", "Acme 2", "Acme 3", "ACME 4", "Acme 5"]);
    assert_eq!(pages, 3);
    let before = fake.calls().len();
    for tampered in [
        "https://elsewhere.example/services/data/v62.0/query/x",
        "/services/oauth2/token",
    ] {
        let refused = client
            .search(&session, SearchObject::Account, "acme", Some(tampered))
            .await;
        assert!(
            matches!(refused, Err(SalesforceError::Refused { status: 400, .. })),
            "{tampered}: {refused:?}"
        );
    }
    let unknown = client
        .search(
            &session,
            SearchObject::Account,
            "acme",
            Some("/services/data/v62.0/query/01gFk0000000999AAA-2"),
        )
        .await;
    assert!(matches!(
        unknown,
        Err(SalesforceError::Refused { status: 400, ref problems })
            if problems[0].error_code == "INVALID_QUERY_LOCATOR"
    ));
    assert_eq!(fake.calls().len(), before + 1);
}

#[tokio::test]
async fn record_names_are_looked_up_by_id() {
    let fake = salesforce().await;
    let account = fake.add_account("Globex");
    let contact = fake.add_contact("Jane Customer", Some(&account));
    assert!(account.starts_with("001") && account.len() == 18);
    assert!(contact.starts_with("003") && contact.len() == 18);
    let client = sf_client();
    let session = sf_session(&fake, &client).await;
    let name = |object, id: String| {
        let (client, session) = (client.clone(), session.clone());
        async move { client.record_name(&session, object, &id).await }
    };
    assert_eq!(
        name(SearchObject::Account, account.clone()).await,
        Ok(Some("Globex".into()))
    );
    assert_eq!(
        name(SearchObject::Contact, contact[..15].to_owned()).await,
        Ok(Some("Jane Customer".into()))
    );
    assert_eq!(name(SearchObject::Contact, account.clone()).await, Ok(None));
    let calls = fake.calls().len();
    for bad in ["001Fk00", "001Fk0000000001AA'", "../../oauth2/token"] {
        let refused = name(SearchObject::Account, bad.to_owned()).await;
        assert!(
            matches!(&refused, Err(SalesforceError::Refused { problems, .. })
                if problems[0].error_code == "MALFORMED_ID"),
            "{bad}: {refused:?}"
        );
    }
    assert_eq!(fake.calls().len(), calls);
}

fn new_case(account: &str, contact: &str) -> NewSalesforceCase {
    NewSalesforceCase {
        subject: "[Facebook] Lost parcel - Jane Customer".into(),
        description: "Comment 444555_900100 on post 111222333_444555: My order never arrived"
            .into(),
        origin: "Web".into(),
        status: "New".into(),
        priority: "High".into(),
        account_id: Some(account.into()),
        contact_id: Some(contact.into()),
        supplied_name: Some("Jane Customer".into()),
        supplied_email: None,
    }
}

#[tokio::test]
async fn a_case_is_created_updated_and_read_back() {
    let fake = salesforce().await;
    let account = fake.add_account("Acme Ltd");
    let contact = fake.add_contact("Jane Customer", Some(&account));
    let client = sf_client();
    let session = sf_session(&fake, &client).await;
    let id = client
        .create_case(&session, &new_case(&account, &contact))
        .await
        .expect("created");
    assert!(id.starts_with("500") && id.len() == 18, "{id}");
    let stored = fake.case(&id).expect("stored");
    assert_eq!(stored.number, "00001001");
    assert_eq!(
        stored.field("Subject"),
        Some("[Facebook] Lost parcel - Jane Customer")
    );
    assert_eq!(stored.field("AccountId"), Some(account.as_str()));
    assert_eq!(stored.field("ContactId"), Some(contact.as_str()));
    assert_eq!(stored.field("SuppliedName"), Some("Jane Customer"));
    assert!(!stored.fields.contains_key("SuppliedEmail"));
    client
        .update_case(&session, &id, "Working", "Low")
        .await
        .expect("updated");
    let stored = fake.case(&id).expect("stored");
    assert_eq!(
        (stored.field("Status"), stored.field("Priority")),
        (Some("Working"), Some("Low"))
    );
    let second = client
        .create_case(
            &session,
            &NewSalesforceCase {
                subject: "Second".into(),
                ..Default::default()
            },
        )
        .await
        .expect("second");
    assert_eq!(
        fake.case(&second).map(|c| c.number),
        Some("00001002".into())
    );
    assert!(fake.set_case_status(&second, "Escalated"));
    let ids = [
        id.clone(),
        second.clone(),
        id.clone(),
        "500Fk0000000999AAA".into(),
    ];
    let states = client.cases(&session, &ids).await.expect("cases");
    let state = |id: &str, number: &str, status: &str| CaseState {
        id: id.into(),
        number: Some(number.into()),
        status: status.into(),
    };
    assert_eq!(
        states,
        [
            state(&id, "00001001", "Working"),
            state(&second, "00001002", "Escalated")
        ]
    );
    let calls = fake.calls().len();
    assert_eq!(client.cases(&session, &[]).await, Ok(vec![]));
    let malformed = client
        .cases(&session, &[id.clone(), "5') OR (Id".into()])
        .await;
    assert!(matches!(malformed, Err(SalesforceError::Refused { .. })));
    assert_eq!(fake.calls().len(), calls);
    let gone = client
        .update_case(&session, "500Fk0000000999AAA", "Closed", "Low")
        .await;
    assert!(matches!(
        gone,
        Err(SalesforceError::Refused { status: 404, ref problems })
            if problems[0].error_code == "NOT_FOUND"
    ));
}

#[tokio::test]
async fn salesforces_refusals_come_back_in_its_words() {
    let fake = salesforce().await;
    let client = sf_client();
    let session = sf_session(&fake, &client).await;
    let facebook = NewSalesforceCase {
        subject: "From Facebook".into(),
        origin: "Facebook".into(),
        ..Default::default()
    };
    let refused = client
        .create_case(&session, &facebook)
        .await
        .expect_err("refused");
    assert_eq!(
        refused,
        SalesforceError::Refused {
            status: 400,
            problems: vec![ApiProblem {
                message: "Origin: bad value for restricted picklist field: Facebook".into(),
                error_code: "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST".into(),
                fields: vec!["Origin".into()],
            }],
        }
    );
    assert!(refused
        .to_string()
        .contains("Origin: bad value for restricted picklist field: Facebook"));
    assert!(fake.set_picklist("Origin", &["Web", "Facebook"]));
    assert!(client.create_case(&session, &facebook).await.is_ok());
    let untitled = client
        .create_case(&session, &NewSalesforceCase::default())
        .await;
    assert!(matches!(
        untitled,
        Err(SalesforceError::Refused { status: 400, ref problems })
            if problems[0].error_code == "REQUIRED_FIELD_MISSING"
                && problems[0].fields == ["Subject"]
    ));
    let contact = fake.add_contact("Jane", None);
    let wrong_type = NewSalesforceCase {
        subject: "Wrong lookup".into(),
        account_id: Some(contact),
        ..Default::default()
    };
    let refused = client.create_case(&session, &wrong_type).await;
    assert!(matches!(
        refused,
        Err(SalesforceError::Refused { ref problems, .. })
            if problems[0].error_code == "FIELD_INTEGRITY_EXCEPTION"
    ));
    assert_eq!(fake.cases().len(), 1);
}

#[tokio::test]
async fn the_fake_answers_in_salesforces_shapes() {
    let fake = salesforce().await;
    let account = fake.add_account("Acme Ltd");
    let client = sf_client();
    let session = sf_session(&fake, &client).await;
    let http = reqwest::Client::new();
    let base = format!("{}/services/data/v62.0", fake.instance_url());
    let answer = http
        .get(format!("{base}/query"))
        .query(&[("q", "SELECT Id, Name FROM Account WHERE Name = 'Acme Ltd'")])
        .bearer_auth(&session.access_token)
        .send()
        .await
        .expect("query");
    assert_eq!(
        answer.headers()["sforce-limit-info"].to_str().ok(),
        Some("api-usage=1/15000")
    );
    let body: serde_json::Value = answer.json().await.expect("json");
    assert_eq!(
        body,
        serde_json::json!({"totalSize": 1, "done": true, "records": [{
            "attributes": {"type": "Account",
                           "url": format!("/services/data/v62.0/sobjects/Account/{account}")},
            "Id": account, "Name": "Acme Ltd"}]})
    );
    let bad = http
        .get(format!("{base}/query"))
        .query(&[("q", "SELECT Id FROM Account")])
        .bearer_auth(&session.access_token)
        .send()
        .await
        .expect("bad query");
    assert_eq!(bad.status().as_u16(), 400);
    let body: serde_json::Value = bad.json().await.expect("json");
    assert_eq!(body[0]["errorCode"], "MALFORMED_QUERY");
    let expired = http
        .get(format!("{base}/sobjects/Account/{account}"))
        .bearer_auth("00DFk0000000001!AQnotatoken")
        .send()
        .await
        .expect("expired");
    assert_eq!(expired.status().as_u16(), 401);
    let body: serde_json::Value = expired.json().await.expect("json");
    assert_eq!(
        body,
        serde_json::json!([{"message": "Session expired or invalid",
                            "errorCode": "INVALID_SESSION_ID"}])
    );
    let token = http
        .post(format!("{}/services/oauth2/token", fake.login_url()))
        .form(&[("grant_type", "password"), ("client_id", "x")])
        .send()
        .await
        .expect("token");
    assert_eq!(token.status().as_u16(), 400);
    let body: serde_json::Value = token.json().await.expect("json");
    assert_eq!(body["error"], "unsupported_grant_type");
}

#[tokio::test]
async fn the_demo_org_has_people_to_find() {
    let fake = FakeSalesforce::demo().await.expect("demo");
    let client = sf_client();
    let session = sf_session(&fake, &client).await;
    let accounts = client
        .search(&session, SearchObject::Account, "o'brien", None)
        .await
        .expect("accounts");
    assert_eq!(names(&accounts), ["O'Brien & Sons"]);
    let contacts = client
        .search(&session, SearchObject::Contact, "jane", None)
        .await
        .expect("contacts");
    assert_eq!(names(&contacts), ["Jane Customer"]);
}
