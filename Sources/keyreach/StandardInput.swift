import Foundation

/// Whether standard input is empty, found without consuming a byte of it, so
/// `--dump -` on an empty pipe is an error rather than an empty cluster.
enum StandardInput {
    /// `true` for an empty regular file, or a pipe or socket whose writers
    /// closed it without writing anything. Waits until the writer has either
    /// written or closed. `/dev/null` is empty; a terminal or another device is never "empty" here:
    /// the reader decides.
    static func isEmpty() -> Bool {
        var info = stat()
        guard fstat(0, &info) == 0 else { return false }
        let type = info.st_mode & S_IFMT
        if type == S_IFREG {
            let position = lseek(0, 0, SEEK_CUR)
            return position >= 0 && Int64(info.st_size) - Int64(position) <= 0
        }
        if type == S_IFCHR, isatty(0) == 0 {
            // `< /dev/null`: the null device is always empty.
            var null = stat()
            return stat("/dev/null", &null) == 0 && null.st_rdev == info.st_rdev
        }
        guard type == S_IFIFO || type == S_IFSOCK else { return false }
        var descriptor = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
        // Readable means data or end of input; block until one of them.
        while poll(&descriptor, 1, -1) < 0 {
            if errno != EINTR { return false }
        }
        var available: Int32 = 0
        guard ioctl(0, UInt(FIONREAD), &available) == 0 else { return false }
        return available == 0 && descriptor.revents & Int16(POLLHUP) != 0
    }
}
