using EventLedger.Accounts;

namespace EventLedger.Operations;

/// <summary>Operations register themselves: the operator accounts that may call the operations API and open the console.</summary>
public static class OperationsConfiguration
{
    public static List<OperatorAccount> Read(IConfiguration configuration)
    {
        // The binder drops a list entry it cannot convert without a word, so a mistyped role would
        // quietly leave an account with less (or, beside others, different) power: each is read here.
        foreach (var role in configuration.GetSection(OperatorAccount.Section).GetChildren().SelectMany(a => a.GetSection("Roles").GetChildren()))
        {
            if (!Enum.TryParse<OperatorRole>(role.Value, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(role.Value, out _))
            {
                throw new Hosting.StartupException(
                    $"{role.Path}: '{role.Value}' is not a role; the roles are {string.Join(", ", Enum.GetNames<OperatorRole>())}.");
            }
        }

        return configuration.GetSection(OperatorAccount.Section).Get<List<OperatorAccount>>() ?? [];
    }

    public static IServiceCollection AddOperations(this IServiceCollection services, IReadOnlyList<OperatorAccount> operators)
    {
        OperatorAccount.Check(operators);
        return services.AddSingleton(new AccountDirectory<OperatorAccount>(OperatorAccount.Section, operators));
    }
}
