output "endpoint" {
  description = "Endpoint of the DB instance (host:port)."
  value       = aws_db_instance.this.endpoint
}

output "address" {
  description = "Host name of the DB instance."
  value       = aws_db_instance.this.address
}

output "port" {
  description = "Port of the DB instance."
  value       = aws_db_instance.this.port
}

output "database_name" {
  description = "Name of the shared database."
  value       = aws_db_instance.this.db_name
}

output "instance_arn" {
  description = "ARN of the DB instance."
  value       = aws_db_instance.this.arn
}

output "resource_id" {
  description = "Resource ID of the DB instance (rds-db:connect ARNs for IAM authentication)."
  value       = aws_db_instance.this.resource_id
}

output "master_user_secret_arn" {
  description = "ARN of the Secrets Manager secret RDS keeps the master credentials in (the ARN only, never the value)."
  value       = aws_db_instance.this.master_user_secret[0].secret_arn
}

output "database_url_secret_arn" {
  description = "ARN of the secret with DATABASE_URL and DATABASE_ADMIN_URL (source of the tenants' fleetwatch-database Secrets)."
  value       = aws_secretsmanager_secret.database_url.arn
}

output "kms_key_arn" {
  description = "KMS key of the storage, Performance Insights and the secrets."
  value       = aws_kms_key.rds.arn
}

output "security_group_id" {
  description = "Security group of the DB instance."
  value       = aws_security_group.rds.id
}
