namespace EdgeBroker.Core.Tests.Security;

using System.Text;
using EdgeBroker.Core.Security;

[Trait("Category", "Unit")]
public sealed class UserFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("eb-users-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ParsesUsersAndSkipsComments()
    {
        var text = "# operators\nalice:" + PasswordHasher.Hash("a", 1000) + "\nbob:" + PasswordHasher.Hash("b", 1000) + "\n";

        var users = UserFile.Parse(text);

        Assert.Equal(["alice", "bob"], users.Keys.Order(StringComparer.Ordinal));
        Assert.True(PasswordHasher.Verify(users["bob"], "b"u8));
    }

    [Theory]
    [InlineData("alice:$HASH\n\nbob:$HASH\n", "line 2: blank line")]
    [InlineData("alice\n", "line 1: expected 'user:hash'")]
    [InlineData(":$HASH\n", "line 1: expected 'user:hash'")]
    [InlineData("alice:$HASH\nalice:$HASH\n", "line 2: user 'alice' appears twice")]
    [InlineData("alice:plaintext\n", "line 1 (user 'alice')")]
    [InlineData("al#ce:$HASH\n", "line 1: user name contains")]
    public void RejectsMalformedFilesNamingTheLine(string template, string expected)
    {
        var text = template.Replace("$HASH", PasswordHasher.Hash("x", 1000), StringComparison.Ordinal);

        var error = Assert.Throws<FormatException>(() => UserFile.Parse(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SetPasswordAddsThenChangesAUserKeepingOtherLines()
    {
        var path = Path.Combine(_dir, "users");
        File.WriteAllText(path, "# keep me\nbob:" + PasswordHasher.Hash("b", 1000) + "\n");

        UserFile.SetPassword(path, "alice", "first", iterations: 1000);
        UserFile.SetPassword(path, "alice", "second", iterations: 1000);

        var text = File.ReadAllText(path, Encoding.UTF8);
        Assert.StartsWith("# keep me\nbob:", text, StringComparison.Ordinal);
        var users = UserFile.Load(path);
        Assert.Equal(2, users.Count);
        Assert.True(PasswordHasher.Verify(users["alice"], "second"u8));
        Assert.False(PasswordHasher.Verify(users["alice"], "first"u8));
        Assert.True(PasswordHasher.Verify(users["bob"], "b"u8));
    }

    [Fact]
    public void SetPasswordRefusesToRewriteAFileItCannotParse()
    {
        var path = Path.Combine(_dir, "users");
        File.WriteAllText(path, "garbage line\n");

        Assert.Throws<FormatException>(() => UserFile.SetPassword(path, "alice", "pw", iterations: 1000));
        Assert.Equal("garbage line\n", File.ReadAllText(path));
    }
}
