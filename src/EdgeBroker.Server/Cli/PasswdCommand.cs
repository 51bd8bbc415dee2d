namespace EdgeBroker.Server.Cli;

using System.Text;
using EdgeBroker.Core.Security;

/// <summary>
/// <c>EdgeBroker.Server passwd &lt;users-file&gt; &lt;user&gt;</c>: adds a user or changes their password
/// (PBKDF2-SHA512, the file stays <c>mosquitto_passwd</c>-compatible). The password is read from standard input
/// when it is redirected (first line, for scripts), otherwise prompted twice without echo; never from the
/// command line, where other local users could read it from the process list.
/// Exit codes: 0 done, 1 bad usage or input, 2 the file is malformed or cannot be written.
/// </summary>
internal static class PasswdCommand
{
    public const string Name = "passwd";

    public static int Run(IReadOnlyList<string> args, TextReader input, TextWriter output, TextWriter error, bool inputRedirected)
    {
        if (args.Count != 2)
        {
            error.WriteLine("usage: EdgeBroker.Server passwd <users-file> <user>   (password from stdin or prompt)");
            return 1;
        }

        var (path, user) = (args[0], args[1]);
        if (!UserNames.IsValid(user, out var reason))
        {
            error.WriteLine($"passwd: {reason}");
            return 1;
        }

        var password = inputRedirected ? input.ReadLine() : Prompt(output);
        if (string.IsNullOrEmpty(password))
        {
            error.WriteLine("passwd: empty password (or the two entries differed)");
            return 1;
        }

        try
        {
            UserFile.SetPassword(path, user, password);
        }
        catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"passwd: {path}: {ex.Message}");
            return 2;
        }

        output.WriteLine($"passwd: password set for '{user}' in {path}");
        return 0;
    }

    private static string? Prompt(TextWriter output)
    {
        output.Write("Password: ");
        var first = ReadHidden();
        output.Write("Reenter password: ");
        var second = ReadHidden();
        output.WriteLine();
        return first == second ? first : null;
    }

    private static string ReadHidden()
    {
        var text = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                return text.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                text.Length = Math.Max(0, text.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }
    }
}
