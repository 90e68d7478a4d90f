#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A read-only memory map of a whole file, so scanners read bytes in place without copying them.
///
/// The mapping is released when the value is deinitialised; buffers obtained from it must not outlive it.
public final class MappedFile: @unchecked Sendable {
    /// The path as given.
    public let path: String
    /// The file's bytes (empty for an empty file).
    public let bytes: UnsafeBufferPointer<UInt8>
    private let mapping: UnsafeMutableRawPointer?
    private let length: Int

    /// Maps `path`; throws a `DataError` with one clear sentence when it is missing or unreadable.
    public init(path: String) throws(DataError) {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw DataError(file: path, message: "cannot open the file (\(reason))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw DataError(file: path, message: "cannot read the file's size")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw DataError(file: path, message: "is a directory, expected a file")
        }
        length = Int(info.st_size)
        if length == 0 {
            mapping = nil
            bytes = UnsafeBufferPointer(start: nil, count: 0)
            return
        }
        let p = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let p, p != MAP_FAILED else {
            throw DataError(file: path, message: "cannot map the file into memory")
        }
        #if canImport(Glibc)
            _ = madvise(p, length, MADV_SEQUENTIAL)
        #endif
        mapping = p
        bytes = UnsafeBufferPointer(start: p.assumingMemoryBound(to: UInt8.self), count: length)
    }

    deinit {
        if let mapping { munmap(mapping, length) }
    }
}
