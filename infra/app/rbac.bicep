// The least roles that work, each scoped to one resource: the app's identity gets data roles on the app's
// storage account only and may publish telemetry to its own Application Insights. Blob is Owner, not
// Contributor, for the app: the Functions host's identity-based AzureWebJobsStorage connection is documented to
// need Storage Blob Data Owner (keys, timer locks and leases live in its blobs). The operator, who only runs the
// management command, gets Contributor roles.

param storageAccountName string
param applicationInsightsName string

@description('Principal id of the app\'s user-assigned identity.')
param appPrincipalId string

@description('Optional: principal id of the person deploying, so they can run the management command (api-keys, grants) against this account with az login.')
param operatorPrincipalId string

@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param operatorPrincipalType string

var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

var appStorageRoleIds = [
  roles.storageBlobDataOwner
  roles.storageQueueDataContributor
  roles.storageTableDataContributor
]

var operatorStorageRoleIds = [
  roles.storageBlobDataContributor
  roles.storageQueueDataContributor
  roles.storageTableDataContributor
]

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource appStorageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in appStorageRoleIds: {
    name: guid(storage.id, appPrincipalId, roleId)
    scope: storage
    properties: {
      principalId: appPrincipalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    }
  }
]

resource appTelemetryRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, appPrincipalId, roles.monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
  }
}

// The management command creates the first API keys and grants in the tables (and, like the LocalHost, makes
// sure its tables, queues and containers exist), so the operator needs the same data roles.
resource operatorStorageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in operatorStorageRoleIds: if (!empty(operatorPrincipalId)) {
    name: guid(storage.id, operatorPrincipalId, roleId)
    scope: storage
    properties: {
      principalId: operatorPrincipalId
      principalType: operatorPrincipalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    }
  }
]
