//! The objects the fake org serves (Account, Contact, Case) and the fields each may name.

/// The objects the fake serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum SObject {
    Account,
    Contact,
    Case,
}

impl SObject {
    pub(super) fn name(self) -> &'static str {
        match self {
            SObject::Account => "Account",
            SObject::Contact => "Contact",
            SObject::Case => "Case",
        }
    }

    pub(super) fn from_name(name: &str) -> Option<Self> {
        [SObject::Account, SObject::Contact, SObject::Case]
            .into_iter()
            .find(|o| o.name().eq_ignore_ascii_case(name))
    }

    /// The fields a query or a read may name.
    pub(super) fn fields(self) -> &'static [&'static str] {
        match self {
            SObject::Account => &["Id", "Name"],
            SObject::Contact => &["Id", "Name", "AccountId"],
            SObject::Case => &[
                "Id",
                "CaseNumber",
                "Subject",
                "Description",
                "Origin",
                "Status",
                "Priority",
                "Reason",
                "Type",
                "AccountId",
                "ContactId",
                "ParentId",
                "SuppliedEmail",
                "SuppliedName",
                "SuppliedPhone",
                "SuppliedCompany",
                "IsEscalated",
            ],
        }
    }

    /// `name` as the object spells it, when it has such a field.
    pub(super) fn field(self, name: &str) -> Option<&'static str> {
        self.fields()
            .iter()
            .copied()
            .find(|f| f.eq_ignore_ascii_case(name))
    }
}
