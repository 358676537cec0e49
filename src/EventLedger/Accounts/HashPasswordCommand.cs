using EventLedger.Security;
using JasperFx.CommandLine;

namespace EventLedger.Accounts;

public sealed class HashPasswordInput
{
    [Description("Read the password from standard input (keeps it out of shell history)")]
    public bool StdinFlag { get; set; }

    [Description("The password to hash (omit with --stdin)")]
    public string Password { get; set; } = "";
}

[Description("Prints the salted hash of a password, for Clients:N:PasswordHash or Operators:N:PasswordHash", Name = "hash-password")]
public sealed class HashPasswordCommand : JasperFxCommand<HashPasswordInput>
{
    public HashPasswordCommand()
    {
        Usage("Hash a password given on the command line").Arguments(x => x.Password);
        Usage("Hash a password read from standard input").Arguments();
    }

    public override bool Execute(HashPasswordInput input)
    {
        var password = input.StdinFlag || input.Password.Length == 0 ? Console.In.ReadLine() ?? "" : input.Password;
        if (password.Length == 0)
        {
            Console.Error.WriteLine("hash-password: no password given");
            return false;
        }

        Console.WriteLine(PasswordHasher.Hash(password));
        return true;
    }
}
