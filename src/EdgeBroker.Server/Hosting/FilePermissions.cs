namespace EdgeBroker.Server.Hosting;

using System.Runtime.InteropServices;

/// <summary>
/// Data at rest is private to the broker's user (RELIABILITY.md security defaults: data dir 0700, files 0600).
/// The storage creates files with the process umask, so the host narrows it once at start.
/// </summary>
internal static partial class FilePermissions
{
    private const int OwnerOnly = 0x3F; // octal 077: no group or other permissions on anything created from now on

    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Sets the process umask to 077 on Unix; a no-op elsewhere.</summary>
    public static void RestrictNewFiles()
    {
        if (!OperatingSystem.IsWindows())
        {
            _ = Umask(OwnerOnly);
        }
    }

    [LibraryImport("libc", EntryPoint = "umask")]
    private static partial int Umask(int mask);
}
