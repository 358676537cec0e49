using EventLedger.Accounts;

namespace EventLedger.Operations;

/// <summary>Operations register themselves: the operator accounts that may call the operations API.</summary>
public static class OperationsConfiguration
{
    public static List<OperatorAccount> Read(IConfiguration configuration) =>
        configuration.GetSection(OperatorAccount.Section).Get<List<OperatorAccount>>() ?? [];

    public static IServiceCollection AddOperations(this IServiceCollection services, IEnumerable<OperatorAccount> operators) =>
        services.AddSingleton(new AccountDirectory<OperatorAccount>(OperatorAccount.Section, operators));
}
