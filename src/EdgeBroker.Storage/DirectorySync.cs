namespace EdgeBroker.Storage;

using System.Runtime.InteropServices;

/// <summary>
/// fsync of a directory so that creates, renames and deletes in it survive a power loss (R10). .NET has no
/// managed API for it: on Linux/macOS this calls libc <c>open(dir, O_RDONLY|O_DIRECTORY)</c> + <c>fsync</c>.
/// On Windows it is a no-op (NTFS journals metadata; directory handles cannot be flushed without backup semantics).
/// Thread-safety: stateless.
/// </summary>
internal static partial class DirectorySync
{
    public static void Sync(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = NativeMethods.Open(directory, OpenDirectoryFlags());
        if (fd < 0)
        {
            throw new IOException($"open('{directory}') for fsync failed: {LastError()}");
        }

        try
        {
            if (NativeMethods.Fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory '{directory}' failed: {LastError()}");
            }
        }
        finally
        {
            _ = NativeMethods.Close(fd);
        }
    }

    private static string LastError()
    {
        var errno = Marshal.GetLastPInvokeError();
        return $"errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)})";
    }

    private static int OpenDirectoryFlags()
    {
        // O_RDONLY is 0 everywhere; O_DIRECTORY differs per platform (it only asserts the path is a directory).
        if (OperatingSystem.IsMacOS())
        {
            return 0x100000;
        }

        return RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 or Architecture.X86 => 0x10000,
            Architecture.Arm64 or Architecture.Arm => 0x4000,
            _ => 0,
        };
    }
}
