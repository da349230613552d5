output "repository_urls" {
  description = "Repository URL by service (image.repository of each chart)."
  value       = { for service, repository in aws_ecr_repository.service : service => repository.repository_url }
}

output "repository_arns" {
  description = "Repository ARN by service (for the CI role's identity policy)."
  value       = { for service, repository in aws_ecr_repository.service : service => repository.arn }
}

output "registry_id" {
  description = "ID of the registry (the account)."
  value       = one(distinct([for repository in aws_ecr_repository.service : repository.registry_id]))
}

output "kms_key_arn" {
  description = "KMS key of the repositories."
  value       = aws_kms_key.ecr.arn
}
