import Testing
import ConfigLanguage

/// The address values of net_address / net_gateway (language.md §9).
@Suite struct NetworkValueTests {
    @Test(arguments: [
        ("10.0.3.5/24", "10.0.3.5/24"), ("0.0.0.0/1", "0.0.0.0/1"), ("255.255.255.255/32", "255.255.255.255/32"),
        ("fd00::5/64", "fd00::5/64"), ("FD00:0:0:0:0:0:0:5/64", "fd00::5/64"), ("::1/128", "::1/128"),
        ("fe80:0:0:1:0:0:0:0/10", "fe80:0:0:1::/10"), ("1:0:0:2:0:0:0:3/64", "1:0:0:2::3/64"), ("1:0:0:2:0:0:3:4/64", "1::2:0:0:3:4/64"),
    ])
    func validAddressesParseToTheirCanonicalText(_ text: String, _ canonical: String) throws {
        let address = try #require(InterfaceAddress(parsing: text))
        #expect(address.description == canonical)
    }

    @Test(arguments: [
        "10.0.3.5", "10.0.3.5/0", "10.0.3.5/33", "10.0.3/24", "10.0.3.5.6/24", "10.0.256.5/24",
        "10.0.03x.5/24", "fd00::1::5/64", "fd00::12345/64", "fd00::5/129", "1:2:3:4:5:6:7:8:9/64",
        "1:2:3:4:5:6:7::8/64", "/24", "", "10.0.3.5/2 4",
    ])
    func invalidAddressesAreRefused(_ text: String) {
        #expect(InterfaceAddress(parsing: text) == nil, "\(text)")
    }

    @Test func gatewaysHaveNoPrefix() {
        #expect(IPAddress(parsing: "10.0.3.1")?.bytes == [10, 0, 3, 1])
        #expect(IPAddress(parsing: "10.0.3.1/24") == nil)
        #expect(IPAddress(parsing: "::")?.bytes == Array(repeating: 0, count: 16))
    }

    @Test func subnetsContainTheirOwnFamilyAndBits() throws {
        let address = try #require(InterfaceAddress(parsing: "10.0.3.5/23"))
        #expect(address.subnetContains(try #require(IPAddress(parsing: "10.0.2.1"))))
        #expect(!address.subnetContains(try #require(IPAddress(parsing: "10.0.4.1"))))
        #expect(!address.subnetContains(try #require(IPAddress(parsing: "::ffff:a00:201"))), "another family")
        let v6 = try #require(InterfaceAddress(parsing: "fd00:0:0:3::5/64"))
        #expect(v6.subnetContains(try #require(IPAddress(parsing: "fd00:0:0:3::1"))))
        #expect(!v6.subnetContains(try #require(IPAddress(parsing: "fd00:0:0:4::1"))))
        #expect(address.address.masked(to: 23).description == "10.0.2.0")
        #expect(IPAddress(parsing: "127.0.0.1")?.isLoopback == true)
        #expect(IPAddress(parsing: "::1")?.isLoopback == true)
        #expect(IPAddress(parsing: "10.0.3.1")?.isLoopback == false)
        #expect(IPAddress(parsing: "::2")?.isLoopback == false)
    }

    @Test func netIsALetterButNotPartOfAll() {
        #expect(!NamespaceSet.all.contains(.net))
        #expect(NamespaceSet.all.letters == "uphtic")
        #expect(Namespace(rawValue: "n") == .net)
        #expect(Namespace.net.longName == "net")
    }
}
