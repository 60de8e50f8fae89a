// ProjectExports on Azure: storage (Entra ID only), a Flex Consumption Function App running as a user-assigned
// identity, Application Insights with Entra ID ingestion, and API Management in front. Deployed into one
// resource group, by `azd up` or `az deployment group create --template-file infra/main.bicep`.
targetScope = 'resourceGroup'

@minLength(1)
@maxLength(64)
@description('Name of the environment (azd sets it); makes the resource names unique and tags the resources.')
param environmentName string

@description('Region of every resource; it must offer the Flex Consumption plan.')
param location string = resourceGroup().location

@description('Optional: principal id of the person deploying (azd sets it), granted data access to the storage account for the management command.')
param principalId string = ''

@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param principalType string = 'User'

@description('API Management SKU.')
@allowed([
  'Consumption'
  'Developer'
  'Basic'
  'BasicV2'
  'Standard'
  'StandardV2'
  'Premium'
])
param apimSku string = 'Consumption'

@description('E-mail address API Management sends its notifications to.')
param apimPublisherEmail string

param apimPublisherName string = 'ProjectExports'

@description('OIDC authority that issues the bearer tokens callers send (Auth__Authority).')
param authAuthority string = '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'

@description('Audience the bearer tokens must carry: the app registration\'s Application ID URI (Auth__Audience).')
param authAudience string = 'api://project-exports'

@description('App role that makes a token\'s holder an admin of every project (Auth__AdminRole).')
param authAdminRole string = 'ProjectExports.Admin'

@description('Days exports and imports are kept (Exports__Retention, Imports__Retention); the storage lifecycle rule deletes leftover files a day later.')
@minValue(1)
param retentionDays int = 14

@description('Largest export document in bytes (Exports__MaxDocumentBytes).')
param exportMaxDocumentBytes int = 10000000

@description('Largest import document in bytes (Imports__MaxDocumentBytes).')
param importMaxDocumentBytes int = 10000000

@description('How long an export or import may stay PROCESSING before the cleanup fails it (Jobs__StallTimeout, hh:mm:ss).')
param jobStallTimeout string = '00:30:00'

@description('Deliveries of an export or import message before it goes to the poison queue (Jobs__MaxDequeueCount); keep equal to host.json maxDequeueCount.')
param jobMaxDequeueCount int = 5

@description('Six-field CRON expression of the cleanup timer (CleanupSchedule).')
param cleanupSchedule string = '0 0 * * * *'

@description('Largest number of instances the Flex Consumption plan scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Browser origins allowed to call the Function App directly; the Azure portal\'s test pane needs its own.')
param corsAllowedOrigins array = [
  'https://portal.azure.com'
]

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}
var functionAppName = '${abbrs.webSitesFunctions}${resourceToken}'
// The plan's package container: its own container, apart from the app's data.
var deploymentContainerName = 'app-package-${resourceToken}'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: '${abbrs.managedIdentityUserAssignedIdentities}${resourceToken}'
  location: location
  tags: tags
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  params: {
    name: '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    retentionDays: retentionDays
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  params: {
    storageAccountName: storage.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    appPrincipalId: identity.properties.principalId
    operatorPrincipalId: principalId
    operatorPrincipalType: principalType
  }
}

module functionApp 'app/function.bicep' = {
  name: 'function'
  params: {
    planName: '${abbrs.webServerFarms}${resourceToken}'
    name: functionAppName
    location: location
    tags: tags
    identityId: identity.id
    identityClientId: identity.properties.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: deploymentContainerName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    allowedOrigins: corsAllowedOrigins
    appSettings: {
      CleanupSchedule: cleanupSchedule
      Exports__MaxDocumentBytes: string(exportMaxDocumentBytes)
      Exports__Retention: '${retentionDays}.00:00:00'
      Imports__MaxDocumentBytes: string(importMaxDocumentBytes)
      Imports__Retention: '${retentionDays}.00:00:00'
      // A large import document costs a few hundred MB while parsed: at most two at once per instance.
      Imports__MaxConcurrentLargeDocuments: '2'
      Imports__LargeDocumentBytes: '1000000'
      Imports__BusyRetryAfter: '00:00:02'
      Jobs__StallTimeout: jobStallTimeout
      Jobs__MaxDequeueCount: string(jobMaxDequeueCount)
      Auth__Authority: authAuthority
      Auth__Audience: authAudience
      Auth__AdminRole: authAdminRole
      // Empty means unset: tokens come from authAuthority's metadata, not an explicit issuer and key set.
      Auth__MetadataAddress: ''
      Auth__Issuer: ''
      Auth__Jwks: ''
      Auth__RequireHttpsMetadata: 'true'
      Auth__ClockSkew: '00:02:00'
      Auth__ApiKeyCacheDuration: '00:00:10'
      // Deadlines of storage calls: an API request answers 503 within seconds; background work stays patient.
      Storage__Requests__NetworkTimeout: '00:00:02'
      Storage__Requests__MaxRetries: '1'
      Storage__Requests__Delay: '00:00:00.200'
      Storage__Requests__MaxDelay: '00:00:01'
      Storage__Background__NetworkTimeout: '00:01:40'
      Storage__Background__MaxRetries: '3'
      Storage__Background__Delay: '00:00:00.800'
      Storage__Background__MaxDelay: '00:01:00'
      Storage__HealthTimeout: '00:00:03'
      // Eight partitions' rounds written at once: Table Storage writes partitions in parallel (the app holds several times this meanwhile).
      Storage__WriteBytesInFlight: '17989632'
    }
  }
  // The host starts as soon as the app exists; it must already be allowed into storage and telemetry.
  dependsOn: [
    rbac
  ]
}

module apim 'app/apim.bicep' = {
  name: 'apim'
  params: {
    name: '${abbrs.apiManagementService}${resourceToken}'
    location: location
    tags: tags
    skuName: apimSku
    publisherEmail: apimPublisherEmail
    publisherName: apimPublisherName
    functionAppName: functionApp.outputs.name
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output APIM_GATEWAY_URL string = apim.outputs.gatewayUrl
output APIM_NAME string = apim.outputs.name
output APIM_SUBSCRIPTION_NAME string = apim.outputs.subscriptionName
output API_BASE_URL string = '${apim.outputs.gatewayUrl}/api'
