variable "name" {
  description = "Name prefix of every resource (e.g. fleetwatch-prod)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name must be 3-32 lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "cluster_name" {
  description = "Name of the EKS cluster that uses the VPC: the public and private subnets get the kubernetes.io/cluster/<name> = shared tag."
  type        = string
}

variable "vpc_cidr" {
  description = "CIDR block of the VPC. The charts' NetworkPolicies (argocd/values/environment.yaml) and the tests depend on 10.0.0.0/16 and the subnet layout below."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0))
    error_message = "vpc_cidr must be a valid IPv4 CIDR block."
  }
}

variable "azs" {
  description = "Exactly three availability zones; subnet i of each tier is in azs[i]."
  type        = list(string)

  validation {
    condition     = length(var.azs) == 3 && length(distinct(var.azs)) == 3
    error_message = "azs must list three distinct availability zones."
  }
}

variable "public_subnet_cidrs" {
  description = "Public subnets, one per AZ: internet-facing ALBs and the NAT gateways (tag kubernetes.io/role/elb = 1)."
  type        = list(string)
  default     = ["10.0.0.0/22", "10.0.4.0/22", "10.0.8.0/22"]

  validation {
    condition     = length(var.public_subnet_cidrs) == 3 && alltrue([for cidr in var.public_subnet_cidrs : can(cidrhost(cidr, 0))])
    error_message = "public_subnet_cidrs must be three valid IPv4 CIDR blocks."
  }
}

variable "data_subnet_cidrs" {
  description = "Data subnets, one per AZ: RDS, MSK and OpenSearch. Their route tables have no route to the internet."
  type        = list(string)
  default     = ["10.0.16.0/22", "10.0.20.0/22", "10.0.24.0/22"]

  validation {
    condition     = length(var.data_subnet_cidrs) == 3 && alltrue([for cidr in var.data_subnet_cidrs : can(cidrhost(cidr, 0))])
    error_message = "data_subnet_cidrs must be three valid IPv4 CIDR blocks."
  }
}

variable "private_subnet_cidrs" {
  description = "Private subnets, one per AZ: EKS nodes and pods (VPC CNI), internal load balancers (tag kubernetes.io/role/internal-elb = 1)."
  type        = list(string)
  default     = ["10.0.64.0/18", "10.0.128.0/18", "10.0.192.0/18"]

  validation {
    condition     = length(var.private_subnet_cidrs) == 3 && alltrue([for cidr in var.private_subnet_cidrs : can(cidrhost(cidr, 0))])
    error_message = "private_subnet_cidrs must be three valid IPv4 CIDR blocks."
  }
}

variable "single_nat_gateway" {
  description = "One NAT gateway (in the first AZ) for the whole VPC instead of one per AZ: cheaper, but the private subnets of the other AZs lose egress when that AZ fails."
  type        = bool
  default     = false
}

variable "flow_log_retention_days" {
  description = "Retention of the VPC flow log group in CloudWatch Logs, in days."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.flow_log_retention_days)
    error_message = "flow_log_retention_days must be a retention period CloudWatch Logs accepts (e.g. 365)."
  }
}

variable "interface_endpoints" {
  description = "AWS services reached through interface VPC endpoints in the private subnets (private DNS on), so image pulls, IRSA and log shipping do not cross the NAT gateways."
  type        = list(string)
  default     = ["ecr.api", "ecr.dkr", "sts", "logs"]
}

variable "tags" {
  description = "Tags added to every resource (on top of the provider's default_tags)."
  type        = map(string)
  default     = {}
}
