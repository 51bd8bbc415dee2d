namespace EdgeBroker.Storage.Tests;

/// <summary>F11: metadata files are replaced atomically; a crash leaves the old or the new content.</summary>
[Trait("Category", "Crash")]
public sealed class AtomicFileTests
{
    private const string Directory = "/crashfs/meta";
    private const string FilePath = "/crashfs/meta/checkpoint";

    [Fact]
    public void WritesAndReadsBack()
    {
        var io = new CrashableFileIO();
        io.CreateDirectory(Directory);
        Assert.Null(AtomicFile.Read(io, FilePath));
        AtomicFile.Write(io, FilePath, "one"u8);
        AtomicFile.Write(io, FilePath, "two!"u8);
        Assert.Equal("two!"u8.ToArray(), AtomicFile.Read(io, FilePath));
        io.Crash(new Random(1));
        Assert.Equal("two!"u8.ToArray(), AtomicFile.Read(io, FilePath));
    }

    [Fact]
    [Trait("Spec", "F11")]
    public void ACrashAtAnyStepLeavesTheOldOrTheNewContentAndRemovesTheStaleTmp()
    {
        for (var seed = 0; seed < 50; seed++)
        {
            for (var step = 1; step <= 6; step++)
            {
                var io = new CrashableFileIO();
                io.CreateDirectory(Directory);
                AtomicFile.Write(io, FilePath, "old-content"u8);
                io.CrashAtOperation = io.Operations + step;
                try
                {
                    AtomicFile.Write(io, FilePath, "new-content-longer"u8);
                }
                catch (IOException)
                {
                }

                io.Crash(new Random(seed));
                var content = AtomicFile.Read(io, FilePath);
                Assert.True(
                    content is not null && (content.SequenceEqual("old-content"u8.ToArray()) || content.SequenceEqual("new-content-longer"u8.ToArray())),
                    $"seed {seed} step {step}: partial or missing content");
                Assert.False(io.FileExists(FilePath + ".tmp"));
            }
        }
    }
}
