@testable import CRMCore
import Testing

private func holds(_ op: Condition.Operator, _ actual: String, _ value: String) -> Bool {
    Condition(field: "f", op: op, value: value).holds(for: actual)
}

private func element(fields: [String: String] = [:], email: String? = nil) -> Element {
    Element(
        id: 1, type: .lead, pipeline: 1, stage: "NEW", title: "Lead", responsible: nil, email: email, phone: nil,
        fields: fields, createdAt: Timestamp(milliseconds: 0), updatedAt: Timestamp(milliseconds: 0))
}

@Suite struct ConditionTests {
    @Test func numbersCompareAsNumbers() {
        #expect(holds(.greater, "10", "9"))
        #expect(!holds(.less, "10", "9"))
        #expect(holds(.greaterOrEqual, "100", "100"))
        #expect(holds(.lessOrEqual, "-3.5", "2"))
        #expect(holds(.equal, "1e3", "1000"))
        #expect(holds(.equal, "10.0", "10"))
        #expect(!holds(.notEqual, "10.0", "10"))
        #expect(holds(.equal, "007", "7"))
        #expect(holds(.equal, "+5", "5"))
    }

    /// A Double holds integers exactly only up to 2^53: 64-bit integers are compared as integers.
    @Test func largeIntegersCompareExactly() {
        #expect(!holds(.equal, "9007199254740993", "9007199254740992"))
        #expect(holds(.greater, "9007199254740993", "9007199254740992"))
        #expect(holds(.less, "-9223372036854775808", "9223372036854775807"))
    }

    @Test func otherwiseStringsCompareAsStrings() {
        #expect(holds(.greater, "b", "a"))
        #expect(!holds(.greater, "a", "b"))
        #expect(holds(.less, "apple", "banana"))
        #expect(holds(.greater, "9a", "10"))  // not both numbers: "9" sorts after "1"
        #expect(!holds(.equal, "Berlin", "berlin"))
        #expect(holds(.notEqual, "Berlin", "berlin"))
    }

    @Test func containsIsSubstring() {
        #expect(holds(.contains, "a big deal today", "big deal"))
        #expect(!holds(.contains, "a big Deal today", "big deal"))
        #expect(!holds(.contains, "big", "big deal"))
    }

    @Test func aMissingFieldIsTheEmptyString() {
        let empty = element()
        #expect(empty.value(of: "city") == "")
        #expect(empty.value(of: "email") == "")
        #expect(empty.value(of: "responsible") == "")
        #expect(Condition(field: "city", op: .equal, value: "").holds(for: empty.value(of: "city")))
        #expect(!Condition(field: "amount", op: .greaterOrEqual, value: "100").holds(for: empty.value(of: "amount")))
        #expect(Condition(field: "amount", op: .less, value: "100").holds(for: empty.value(of: "amount")))
        #expect(element(fields: ["city": "Köln"]).value(of: "city") == "Köln")
        #expect(element(email: "a@b.example").value(of: "email") == "a@b.example")
    }

    @Test(arguments: [
        ("amount >= 100", "amount", Condition.Operator.greaterOrEqual, "100"),
        ("amount>=100", "amount", .greaterOrEqual, "100"),
        (#"title ~ "big deal""#, "title", .contains, "big deal"),
        ("title ~ 'big deal'", "title", .contains, "big deal"),
        (#"city = """#, "city", .equal, ""),
        ("city != Berlin", "city", .notEqual, "Berlin"),
        ("n < 5", "n", .less, "5"),
        ("n <= 5", "n", .lessOrEqual, "5"),
        ("n > 5", "n", .greater, "5"),
        ("title = big deal", "title", .equal, "big deal"),
        ("note = <b>", "note", .equal, "<b>"),
        ("path = ~/offers", "path", .equal, "~/offers"),
        ("x ~ =", "x", .contains, "="),
        ("x = !a", "x", .equal, "!a"),
    ])
    func parsesFieldOperatorValue(text: String, field: String, op: Condition.Operator, value: String) throws {
        let condition = try Condition(parsing: text)
        #expect(condition == Condition(field: field, op: op, value: value))
    }

    @Test(arguments: ["amount", ">= 5", "amount >=", "", "   ", "amount 5", "= 5", "amount == 5", "amount => 5", "a ~=b"])
    func refusesMalformedConditions(text: String) {
        #expect(throws: ValidationFailure.self) { try Condition(parsing: text) }
    }

    @Test func aParsedConditionBehavesAsWritten() throws {
        #expect(try Condition(parsing: #"city = """#).holds(for: ""))
        #expect(try !Condition(parsing: #"city = """#).holds(for: "Berlin"))
        #expect(try Condition(parsing: "amount > 9").holds(for: "10"))
        #expect(try Condition(parsing: #"title ~ "big deal""#).holds(for: "a big deal"))
    }

    /// What `trigger show` prints parses back to the same condition.
    @Test(arguments: [#"qq = '"x"'"#, #"city = " Bad Ems ""#, "note = <b>", #"e = """#, "n >= 5", #"q = "'""#])
    func theDescriptionParsesBackToTheSameCondition(text: String) throws {
        let condition = try Condition(parsing: text)
        #expect(try Condition(parsing: condition.description) == condition, "\(condition.description)")
    }
}

@Suite struct ElementFieldTests {
    @Test func setReportsWhetherTheValueChanged() {
        var lead = element(fields: ["city": "Berlin"])
        var changes: [Bool] = []
        changes.append(lead.set(field: "city", to: "Berlin"))
        changes.append(lead.set(field: "city", to: "Hamburg"))
        changes.append(lead.set(field: "title", to: "New title"))
        changes.append(lead.set(field: "title", to: "New title"))
        changes.append(lead.set(field: "email", to: "x@y.example"))
        changes.append(lead.set(field: "phone", to: ""))  // missing is the empty string: no change
        changes.append(lead.set(field: "zip", to: "10115"))
        #expect(changes == [false, true, true, false, true, false, true])
        #expect(lead.fields["city"] == "Hamburg")
        #expect(lead.title == "New title")
        #expect(lead.email == "x@y.example")
        #expect(lead.value(of: "zip") == "10115")
    }
}
