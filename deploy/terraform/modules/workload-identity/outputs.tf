output "role_arns" {
  description = "Role ARN by workload (aws-load-balancer-controller, fluent-bit, keda when enabled, external-secrets): the eks.amazonaws.com/role-arn annotation of its service account with IRSA."
  value       = { for workload, role in aws_iam_role.workload : workload => role.arn }
}

output "service_accounts" {
  description = "Namespace/service account each role trusts, by workload."
  value       = { for workload, account in local.workloads : workload => "${account.namespace}/${account.name}" }
}
