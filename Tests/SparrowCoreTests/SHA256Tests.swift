import SparrowCore
import Testing

@Suite("SHA-256")
struct SHA256Tests {
    /// FIPS 180-4's examples, and lengths about the block boundary (56, 64, 65 bytes) checked with Python's hashlib.
    @Test(
        "digests equal the standard's examples and hashlib's at block boundaries",
        arguments: [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
            ),
            (String(repeating: "a", count: 1000), "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"),
            (
                "sk_" + String(repeating: "x", count: 61),
                "3343604a153285b30f40992d60d01393551fb1269a91797ac793ef9d0f289f89"
            ),
            (
                "sk_" + String(repeating: "x", count: 62),
                "fe8f035a29edb556b646a2ffa88187b9d3dab977ed7704bc24602511bcec765f"
            ),
        ])
    func vectors(text: String, expected: String) {
        #expect(SHA256.hex(text) == expected)
    }
}
