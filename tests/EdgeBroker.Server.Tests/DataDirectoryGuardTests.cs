namespace EdgeBroker.Server.Tests;

using EdgeBroker.Server.Hosting;

[Trait("Category", "Unit")]
public sealed class DataDirectoryGuardTests
{
    [Fact]
    public void CreatesAMissingDirectoryAndLeavesNoProbeBehind()
    {
        var dir = Path.Combine(Path.GetTempPath(), "eb-guard-" + Guid.NewGuid().ToString("N"), "nested");
        try
        {
            var full = DataDirectoryGuard.Prepare(dir);

            Assert.Equal(Path.GetFullPath(dir), full);
            Assert.True(Directory.Exists(full));
            Assert.Empty(Directory.EnumerateFileSystemEntries(full));
        }
        finally
        {
            TestBrokerHost.TryDelete(Path.GetDirectoryName(dir)!);
        }
    }

    [Fact]
    public void KeepsExistingFilesUntouched()
    {
        var dir = Path.Combine(Path.GetTempPath(), "eb-guard-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var existing = Path.Combine(dir, "00000000000000000000.log");
        File.WriteAllBytes(existing, [1, 2, 3]);
        try
        {
            DataDirectoryGuard.Prepare(dir);

            Assert.Equal([1, 2, 3], File.ReadAllBytes(existing));
            Assert.Single(Directory.EnumerateFileSystemEntries(dir));
        }
        finally
        {
            TestBrokerHost.TryDelete(dir);
        }
    }

    [Fact]
    public void RefusesAPathBelowARegularFileWithAClearMessage()
    {
        var file = Path.GetTempFileName();
        try
        {
            var ex = Assert.Throws<BrokerStartupException>(() => DataDirectoryGuard.Prepare(Path.Combine(file, "sub")));

            Assert.Contains("cannot be created", ex.Message, StringComparison.Ordinal);
            Assert.Contains(file, ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void ASecondLockOnTheSameDirectoryIsRefusedUntilTheFirstIsReleased()
    {
        var dir = Path.Combine(Path.GetTempPath(), "eb-guard-" + Guid.NewGuid().ToString("N"));
        try
        {
            var full = DataDirectoryGuard.Prepare(dir);
            var first = DataDirectoryGuard.Lock(full);

            var ex = Assert.Throws<BrokerStartupException>(() => DataDirectoryGuard.Lock(full));
            first.Dispose();
            using var again = DataDirectoryGuard.Lock(full);

            Assert.Contains("in use by another EdgeBroker process", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            TestBrokerHost.TryDelete(dir);
        }
    }

    [Fact]
    public void RefusesAPathThatIsAFile()
    {
        var file = Path.GetTempFileName();
        try
        {
            var ex = Assert.Throws<BrokerStartupException>(() => DataDirectoryGuard.Prepare(file));

            Assert.Contains("is a file", ex.Message, StringComparison.Ordinal);
            Assert.True(File.Exists(file));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
