namespace EdgeBroker.Interop.Tests.Reliability;

using System.Diagnostics;
using System.Globalization;

/// <summary>
/// A small tmpfs mounted on a fresh temp directory, to make "disk full" real (needs root, as CI runs).
/// <see cref="Resize"/> remounts it with a new size; disposing unmounts it and removes the directory.
/// </summary>
internal sealed class TmpfsMount : IDisposable
{
    private TmpfsMount(string path) => Path = path;

    public string Path { get; }

    public static TmpfsMount Create(long bytes)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "eb-tmpfs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        Run("mount", "-t", "tmpfs", "-o", Size(bytes), "tmpfs", path);
        return new TmpfsMount(path);
    }

    public void Resize(long bytes) => Run("mount", "-o", "remount," + Size(bytes), Path);

    public void Dispose()
    {
        Run("umount", "-l", Path);
        Directory.Delete(Path, recursive: true);
    }

    private static string Size(long bytes) => "size=" + bytes.ToString(CultureInfo.InvariantCulture);

    private static void Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, UseShellExecute = false })
            ?? throw new InvalidOperationException($"cannot start {file}");
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {error} — the disk-full test needs root to mount a tmpfs");
        }
    }
}
